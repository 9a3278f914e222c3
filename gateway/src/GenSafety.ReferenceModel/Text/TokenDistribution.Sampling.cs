using GenSafety.Detectors.Randomness;

namespace GenSafety.ReferenceModel.Text;

internal sealed partial class TokenDistribution
{
    private const int BucketCount = 2048;

    private readonly double[] _bucketMass = new double[BucketCount];
    private int[] _order = [];
    private double[] _boundaryKeys = [];

    /// <summary>
    /// Samples a token at <paramref name="temperature"/> (&gt; 0) from the smallest set of most likely tokens whose
    /// mass reaches <paramref name="topP"/>.
    /// </summary>
    public int Sample(DeterministicRandom random, double temperature, double topP)
    {
        var qMax = Math.Max(_unseenCount > 0 ? _unseen : 0, VectorMath.Max(_q));
        var logMax = Math.Log(qMax);
        if (temperature == 1)
        {
            VectorMath.Scale(_q, 1 / qMax, _weights);
        }
        else
        {
            for (var i = 0; i < _q.Length; i++)
            {
                _weights[i] = Weight(_q[i], logMax, temperature);
            }
        }

        var total = VectorMath.Sum(_weights);

        var unseenWeight = _unseenCount > 0 ? Weight(_unseen, logMax, temperature) : 0;
        var unseenMass = unseenWeight * _unseenCount;
        total += unseenMass;

        if (topP < 1)
        {
            return SampleNucleus(random, total, unseenWeight, topP);
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

    /// <summary>q^(1/T) relative to the largest q, computed in log space: q^(1/T) itself overflows for biased tokens at low temperature.</summary>
    private static double Weight(double q, double logMax, double temperature) =>
        q <= 0 ? 0 : Math.Exp((Math.Log(q) - logMax) / temperature);

    private int SampleNucleus(DeterministicRandom random, double total, double unseenWeight, double topP)
    {
        if (_order.Length < _weights.Length)
        {
            _order = new int[_weights.Length];
            _boundaryKeys = new double[_weights.Length];
        }

        // Histogram the weights by magnitude (1/8-octave buckets read off the float bits), find the bucket where
        // the cumulative mass from the top crosses top_p, and sort only that bucket's tokens: O(V) per step
        // instead of sorting the vocabulary.
        Array.Clear(_bucketMass);
        for (var i = 0; i < _weights.Length; i++)
        {
            _bucketMass[Bucket(_weights[i])] += _weights[i];
        }

        var unseenBucket = Bucket(unseenWeight);
        var unseenMass = unseenWeight * _unseenCount;
        _bucketMass[unseenBucket] += unseenMass;
        var target = topP * total;
        var boundary = 0;
        var mass = 0.0;
        while (boundary < _bucketMass.Length - 1 && mass + _bucketMass[boundary] < target)
        {
            mass += _bucketMass[boundary++];
        }

        // Now take everything above the boundary bucket, then the boundary's tokens from the largest down.
        var unseenAbove = unseenMass > 0 && unseenBucket < boundary;
        mass = unseenAbove ? unseenMass : 0;
        var included = 0;
        var boundaryCount = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            var bucket = Bucket(_weights[i]);
            if (bucket < boundary)
            {
                _order[included++] = i;
                mass += _weights[i];
            }
            else if (bucket == boundary)
            {
                // Collected at the end of _order (keys alongside), then sorted by descending weight.
                var at = _order.Length - 1 - boundaryCount++;
                _order[at] = i;
                _boundaryKeys[at] = -_weights[i];
            }
        }

        var boundaryStart = _order.Length - boundaryCount;
        Array.Sort(_boundaryKeys, _order, boundaryStart, boundaryCount);
        for (var b = 0; b < boundaryCount && mass < target; b++)
        {
            _order[included++] = _order[boundaryStart + b];
            mass += _weights[_order[included - 1]];
        }

        var includeUnseen = unseenAbove || (unseenMass > 0 && unseenBucket == boundary && mass < target);
        var r = random.NextDouble() * (mass + (includeUnseen && !unseenAbove ? unseenMass : 0));
        for (var i = 0; i < included; i++)
        {
            r -= _weights[_order[i]];
            if (r < 0)
            {
                return TokenOf(_order[i]);
            }
        }

        return includeUnseen ? RandomUnseenToken(random) : TokenOf(included > 0 ? _order[included - 1] : ArgMaxWeight());
    }

    /// <summary>Magnitude bucket of a weight in (0, 1]: 8 buckets per halving; 0 and tiny weights share the last.</summary>
    private static int Bucket(double weight)
    {
        const long One = (1023L << 3) | 7; // exponent and top 3 mantissa bits of the largest weight below 2
        var key = (BitConverter.DoubleToInt64Bits(weight) >> 49) & 0x3FFF;
        return (int)Math.Clamp(One - key, 0, BucketCount - 1);
    }

    private int ArgMaxWeight() => VectorMath.IndexOfMax(_weights);

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
