using System.Numerics.Tensors;

namespace GenSafety.ReferenceModel.Text;

internal sealed partial class TokenDistribution
{
    private int[] _order = [];

    /// <summary>
    /// Samples a token at <paramref name="temperature"/> (&gt; 0) from the smallest set of most likely tokens whose
    /// mass reaches <paramref name="topP"/>.
    /// </summary>
    public int Sample(DeterministicRandom random, double temperature, double topP)
    {
        var qMax = Math.Max(_unseenCount > 0 ? _unseen : 0, TensorPrimitives.Max<double>(_q));
        var logMax = Math.Log(qMax);
        if (temperature == 1)
        {
            TensorPrimitives.Divide(_q, qMax, _weights);
        }
        else
        {
            // w = exp((log q − log qMax) / T), in log space: q^(1/T) overflows for biased tokens at low temperature.
            TensorPrimitives.Log<double>(_q, _weights);
            TensorPrimitives.Subtract(_weights, logMax, _weights);
            TensorPrimitives.Multiply(_weights, 1 / temperature, _weights);
            TensorPrimitives.Exp<double>(_weights, _weights);
        }

        var total = TensorPrimitives.Sum<double>(_weights);

        var unseenWeight = _unseenCount > 0 ? Weight(_unseen, logMax, temperature) : 0;
        var unseenMass = unseenWeight * _unseenCount;
        total += unseenMass;

        if (topP < 1)
        {
            return SampleNucleus(random, total, unseenMass, topP);
        }

        var r = random.NextDouble() * total;
        for (var i = 0; i < _weights.Length; i++)
        {
            r -= _weights[i];
            if (r < 0)
            {
                return TokenOf(i);
            }
        }

        return unseenMass > 0 ? RandomUnseenToken(random) : TokenOf(ArgMaxWeight());
    }

    private static double Weight(double q, double logMax, double temperature) =>
        q <= 0 ? 0 : Math.Exp((Math.Log(q) - logMax) / temperature);

    private int SampleNucleus(DeterministicRandom random, double total, double unseenMass, double topP)
    {
        if (_order.Length < _weights.Length)
        {
            _order = new int[_weights.Length];
        }

        // Most of the mass sits on a few tokens: sort only those above a threshold, lowering it until the
        // sorted prefix holds top_p of the mass.
        var target = topP * total;
        var count = 0;
        var mass = 0.0;
        var cut = 0;
        for (var threshold = 1e-3; ; threshold *= 1e-3)
        {
            count = 0;
            for (var i = 0; i < _weights.Length; i++)
            {
                if (_weights[i] >= threshold)
                {
                    _order[count++] = i;
                }
            }

            var weights = _weights;
            Array.Sort(_order, 0, count, Comparer<int>.Create((a, b) => weights[b].CompareTo(weights[a]) is var c and not 0 ? c : a.CompareTo(b)));
            mass = 0;
            for (cut = 0; cut < count && mass < target; cut++)
            {
                mass += _weights[_order[cut]];
            }

            if (mass >= target || threshold < 1e-300 || count == _weights.Length)
            {
                break;
            }
        }

        var includeUnseen = mass < target && unseenMass > 0;
        var r = random.NextDouble() * (mass + (includeUnseen ? unseenMass : 0));
        for (var i = 0; i < cut; i++)
        {
            r -= _weights[_order[i]];
            if (r < 0)
            {
                return TokenOf(_order[i]);
            }
        }

        return includeUnseen ? RandomUnseenToken(random) : TokenOf(cut > 0 ? _order[cut - 1] : ArgMaxWeight());
    }

    private int ArgMaxWeight() => TensorPrimitives.IndexOfMax<double>(_weights);

    private int RandomUnseenToken(DeterministicRandom random)
    {
        while (true)
        {
            var token = random.NextInt(_tokenizer.OrdinaryTokenCount);
            if (IsUnseen(token))
            {
                return token;
            }
        }
    }
}
