using GenSafety.Detectors.Randomness;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// A model whose logits really have rank d: logits = W·h with a fixed, seeded vocabulary×d matrix W and a
/// context vector h ∈ R^d. h is the minimum-norm solution that makes the logits of the n-gram model's most
/// likely tokens equal to (scaled) log-probability targets; every other logit is whatever W·h gives. Only
/// tokens seen in training can be produced (the rest have probability 0).
/// </summary>
internal sealed class LowRankLanguageModel : LanguageModel
{
    // Few anchors keep ‖h‖ small, so the "noise" logits of unanchored tokens stay well below the anchors.
    private const int MaxAnchors = 8;
    private const double TargetScale = 2.5;

    [ThreadStatic]
    private static double[]? t_scratch;

    [ThreadStatic]
    private static float[]? t_logits;

    private readonly NGramLanguageModel _inner;
    private readonly float[] _weights;

    // The same matrix column by column: logits = Σ_j h_j · W[:, j] runs as d vectorised passes over the vocabulary.
    private readonly float[] _columns;

    public LowRankLanguageModel(NGramLanguageModel inner, int hiddenSize, int seed)
    {
        _inner = inner;
        HiddenSize = hiddenSize;
        _weights = new float[inner.Vocabulary.Count * hiddenSize];
        var random = new DeterministicRandom((ulong)seed);
        var scale = 1.0 / Math.Sqrt(hiddenSize);
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)(random.NextGaussian() * scale);
        }

        var count = inner.Vocabulary.Count;
        _columns = new float[_weights.Length];
        for (var slot = 0; slot < count; slot++)
        {
            for (var j = 0; j < hiddenSize; j++)
            {
                _columns[(j * count) + slot] = _weights[(slot * hiddenSize) + j];
            }
        }

        Fingerprint = $"{inner.Fingerprint}-lowrank{hiddenSize}-{seed}";
    }

    /// <summary>The hidden size d (rank of the logit vectors).</summary>
    public int HiddenSize { get; }

    /// <inheritdoc />
    public override TokenVocabulary Vocabulary => _inner.Vocabulary;

    /// <inheritdoc />
    public override int EndOfDocument => _inner.EndOfDocument;

    /// <inheritdoc />
    public override string Fingerprint { get; }

    /// <inheritdoc />
    public override double Predict(ReadOnlySpan<int> context, Span<double> probabilities)
    {
        ComputeLogits(context, probabilities);
        var max = VectorMath.Max(probabilities);
        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = Math.Exp(probabilities[i] - max);
        }

        VectorMath.Scale(probabilities, 1 / VectorMath.Sum(probabilities), probabilities);
        return 0;
    }

    /// <summary>Writes the raw logits W·h (one per vocabulary slot) for <paramref name="context"/>.</summary>
    public void ComputeLogits(ReadOnlySpan<int> context, Span<double> logits)
    {
        var count = Vocabulary.Count;
        var scratch = t_scratch is { Length: var length } && length >= count ? t_scratch : t_scratch = new double[count];
        _inner.Predict(context, scratch.AsSpan(0, count));

        Span<int> anchors = stackalloc int[Math.Min(MaxAnchors, HiddenSize / 2)];
        var anchorCount = TopSlots(scratch.AsSpan(0, count), anchors);
        anchors = anchors[..anchorCount];
        Span<double> targets = stackalloc double[anchorCount];
        var uniform = Math.Log(count);
        for (var i = 0; i < anchorCount; i++)
        {
            targets[i] = TargetScale * Math.Max(0, Math.Log(scratch[anchors[i]]) + uniform);
        }

        Span<double> hidden = stackalloc double[HiddenSize];
        SolveMinimumNorm(anchors, targets, hidden);
        var sums = t_logits is { Length: var size } && size >= count ? t_logits : t_logits = new float[count];
        Array.Clear(sums, 0, count);
        for (var j = 0; j < HiddenSize; j++)
        {
            VectorMath.AddScaled(sums.AsSpan(0, count), _columns.AsSpan(j * count, count), (float)hidden[j]);
        }

        for (var slot = 0; slot < count; slot++)
        {
            logits[slot] = sums[slot];
        }
    }

    private static int TopSlots(ReadOnlySpan<double> probabilities, Span<int> top)
    {
        var count = 0;
        for (var slot = 0; slot < probabilities.Length; slot++)
        {
            var p = probabilities[slot];
            if (count < top.Length)
            {
                top[count++] = slot;
            }
            else if (p > probabilities[top[count - 1]])
            {
                top[count - 1] = slot;
            }
            else
            {
                continue;
            }

            // Keep top sorted descending (insertion step).
            for (var i = count - 1; i > 0 && probabilities[top[i]] > probabilities[top[i - 1]]; i--)
            {
                (top[i], top[i - 1]) = (top[i - 1], top[i]);
            }
        }

        return count;
    }

    /// <summary>h = W_Sᵀ (W_S W_Sᵀ + εI)⁻¹ t: the smallest h whose logits on the anchor slots S equal t.</summary>
    private void SolveMinimumNorm(ReadOnlySpan<int> anchors, ReadOnlySpan<double> targets, Span<double> hidden)
    {
        var m = anchors.Length;
        Span<double> gram = stackalloc double[m * m];
        for (var a = 0; a < m; a++)
        {
            var rowA = _weights.AsSpan(anchors[a] * HiddenSize, HiddenSize);
            for (var b = 0; b <= a; b++)
            {
                var rowB = _weights.AsSpan(anchors[b] * HiddenSize, HiddenSize);
                var dot = 0.0;
                for (var j = 0; j < HiddenSize; j++)
                {
                    dot += rowA[j] * rowB[j];
                }

                gram[(a * m) + b] = gram[(b * m) + a] = dot + (a == b ? 1e-6 : 0);
            }
        }

        Span<double> coefficients = stackalloc double[m];
        targets.CopyTo(coefficients);
        Cholesky.Solve(gram, m, coefficients);
        hidden.Clear();
        for (var a = 0; a < m; a++)
        {
            var row = _weights.AsSpan(anchors[a] * HiddenSize, HiddenSize);
            for (var j = 0; j < HiddenSize; j++)
            {
                hidden[j] += coefficients[a] * row[j];
            }
        }
    }
}
