using System.Numerics.Tensors;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// The next-token distribution of one decoding step with <c>logit_bias</c> applied (OpenAI semantics: the bias is
/// added to the logit, i.e. the probability is multiplied by e^bias and renormalised). Reported logprobs are those
/// of this biased distribution at temperature 1; temperature and top_p only shape sampling. Not thread-safe:
/// one instance per decoding stream.
/// </summary>
internal sealed partial class TokenDistribution
{
    /// <summary>OpenAI's value for the logprob of a token with (numerically) zero probability.</summary>
    public const double ZeroProbabilityLogprob = -9999.0;

    private readonly LanguageModel _model;
    private readonly Cl100kTokenizer _tokenizer;
    private readonly (int Slot, double Factor)[] _slotBias;
    private readonly (int Token, double Factor)[] _outsideBias;

    // Candidates 0..slots-1 are vocabulary slots, slots.. are biased tokens without a slot.
    private readonly double[] _q;
    private readonly double[] _weights;
    private readonly int _slots;
    private readonly int _unseenCount;
    private double _unseen;
    private double _logZ;
    private double[]? _scratch;
    private double[]? _weightedScratch;

    public TokenDistribution(LanguageModel model, Cl100kTokenizer tokenizer, IReadOnlyDictionary<int, double>? logitBias)
    {
        _model = model;
        _tokenizer = tokenizer;
        var vocabulary = model.Vocabulary;
        _slots = vocabulary.Count;
        var slotBias = new List<(int, double)>();
        var outsideBias = new List<(int, double)>();
        foreach (var (token, bias) in logitBias ?? new Dictionary<int, double>())
        {
            var slot = vocabulary.SlotOf(token);
            if (slot >= 0)
            {
                slotBias.Add((slot, Math.Exp(bias)));
            }
            else if (tokenizer.IsValid(token))
            {
                outsideBias.Add((token, Math.Exp(bias)));
            }
        }

        _slotBias = slotBias.ToArray();
        _outsideBias = outsideBias.ToArray();
        _unseenCount = vocabulary.UnseenCount - _outsideBias.Length;
        _q = new double[_slots + _outsideBias.Length];
        _weights = new double[_q.Length];
    }

    /// <summary>Computes the distribution that follows <paramref name="context"/>.</summary>
    public void Compute(ReadOnlySpan<int> context)
    {
        _unseen = _model.Predict(context, _q.AsSpan(0, _slots));
        foreach (var (slot, factor) in _slotBias)
        {
            _q[slot] *= factor;
        }

        for (var i = 0; i < _outsideBias.Length; i++)
        {
            _q[_slots + i] = _unseen * _outsideBias[i].Factor;
        }

        _logZ = Math.Log((_unseenCount * _unseen) + VectorMath.Sum(_q));
    }

    /// <summary>Log-probability of <paramref name="token"/>; <see cref="ZeroProbabilityLogprob"/> when it is impossible.</summary>
    public double LogProbability(int token)
    {
        var q = QOf(token);
        return q > 0 ? Math.Max(Math.Log(q) - _logZ, ZeroProbabilityLogprob) : ZeroProbabilityLogprob;
    }

    /// <summary>The most likely token (ties go to the smallest id).</summary>
    public int Greedy()
    {
        var best = VectorMath.IndexOfMax(_q);
        return _q[best] >= _unseen || _unseenCount == 0 ? TokenOf(best) : FirstUnseenToken();
    }

    /// <summary>
    /// Writes the most likely tokens with their logprobs, most likely first, into <paramref name="top"/> and
    /// returns how many were written.
    /// </summary>
    public int Top(Span<(int Token, double Logprob)> top)
    {
        if (top.IsEmpty)
        {
            return 0;
        }

        Span<int> best = stackalloc int[top.Length];
        var count = 0;
        for (var i = 0; i < _q.Length; i++)
        {
            var q = _q[i];
            if (count == best.Length && q <= _q[best[count - 1]])
            {
                continue;
            }

            var at = count < best.Length ? count++ : count - 1;
            best[at] = i;
            for (var j = at; j > 0 && _q[best[j]] > _q[best[j - 1]]; j--)
            {
                (best[j], best[j - 1]) = (best[j - 1], best[j]);
            }
        }

        for (var i = 0; i < count; i++)
        {
            var token = TokenOf(best[i]);
            top[i] = (token, LogProbability(token));
        }

        return count;
    }

    /// <summary>
    /// μ = Σ p·ln p and σ = √(Σ p·(ln p)² − μ²) over the whole cl100k vocabulary (every token the model never saw has
    /// the same small probability): what Min-K%++ needs, exactly. Impossible tokens (p = 0) contribute nothing.
    /// </summary>
    public (double Mean, double StandardDeviation) LogprobMoments()
    {
        // With p = q/Z and L = ln Z: μ = S₁/Z − L and E[(ln p)²] = S₂/Z − 2L·S₁/Z + L², where S₁ = Σ q ln q and
        // S₂ = Σ q (ln q)², summed over the candidates (vectorised) and the unseen tokens (all equal).
        var logs = _scratch ??= new double[_q.Length];
        var weighted = _weightedScratch ??= new double[_q.Length];
        TensorPrimitives.Log(_q, logs);
        TensorPrimitives.Multiply(_q, logs, weighted);
        double s1 = TensorPrimitives.Sum(weighted), s2 = TensorPrimitives.Dot(weighted, logs);
        if (!double.IsFinite(s1) || !double.IsFinite(s2))
        {
            // Some candidate has q = 0 (0·ln 0 is NaN in IEEE arithmetic, 0 in the sum): add the terms one by one.
            (s1, s2) = (0, 0);
            for (var i = 0; i < _q.Length; i++)
            {
                if (_q[i] > 0)
                {
                    s1 += weighted[i];
                    s2 += weighted[i] * logs[i];
                }
            }
        }

        if (_unseen > 0 && _unseenCount > 0)
        {
            var logUnseen = Math.Log(_unseen);
            s1 += _unseenCount * _unseen * logUnseen;
            s2 += _unseenCount * _unseen * logUnseen * logUnseen;
        }

        var z = Math.Exp(_logZ);
        var mean = (s1 / z) - _logZ;
        var square = (s2 / z) - (2 * _logZ * s1 / z) + (_logZ * _logZ);
        return (mean, Math.Sqrt(Math.Max(0, square - (mean * mean))));
    }

    private double QOf(int token)
    {
        var slot = _model.Vocabulary.SlotOf(token);
        if (slot >= 0)
        {
            return _q[slot];
        }

        for (var i = 0; i < _outsideBias.Length; i++)
        {
            if (_outsideBias[i].Token == token)
            {
                return _q[_slots + i];
            }
        }

        return _tokenizer.IsValid(token) ? _unseen : 0;
    }

    private int TokenOf(int candidate) =>
        candidate < _slots ? _model.Vocabulary.Tokens[candidate] : _outsideBias[candidate - _slots].Token;

    private bool IsUnseen(int token)
    {
        if (!_tokenizer.IsValid(token) || _model.Vocabulary.SlotOf(token) >= 0)
        {
            return false;
        }

        foreach (var (biased, _) in _outsideBias)
        {
            if (biased == token)
            {
                return false;
            }
        }

        return true;
    }

    private int FirstUnseenToken()
    {
        var token = 0;
        while (!IsUnseen(token))
        {
            token++;
        }

        return token;
    }
}
