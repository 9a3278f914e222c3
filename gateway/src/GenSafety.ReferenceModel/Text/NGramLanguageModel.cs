namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// Interpolated Witten–Bell n-gram model: each order mixes its counts with the next lower order, down to a
/// unigram that is itself mixed with a uniform distribution over every emittable cl100k token, so every token
/// has a proper, non-zero probability and logprobs are real log-probabilities.
/// </summary>
internal sealed class NGramLanguageModel : LanguageModel
{
    [ThreadStatic]
    private static SparseAccumulator? t_accumulator;

    private readonly NGramTables _tables;
    private readonly double[] _unigram;
    private readonly double _unseenUnigram;

    public NGramLanguageModel(TokenVocabulary vocabulary, NGramTables tables, int order, int endOfDocument, int emittableCount)
    {
        Vocabulary = vocabulary;
        _tables = tables;
        Order = order;
        EndOfDocument = endOfDocument;
        double total = tables.TokenCount;
        double types = vocabulary.Count;
        var uniform = 1.0 / emittableCount;
        _unigram = new double[vocabulary.Count];
        for (var slot = 0; slot < _unigram.Length; slot++)
        {
            _unigram[slot] = (tables.UnigramCounts[slot] + (types * uniform)) / (total + types);
        }

        _unseenUnigram = types * uniform / (total + types);
        Fingerprint = $"ngram{order}-{vocabulary.Count}-{tables.TokenCount}";
    }

    /// <summary>Tokens per n-gram, the predicted one included.</summary>
    public int Order { get; }

    /// <summary>Number of distinct contexts stored.</summary>
    public int ContextCount => _tables.Contexts.Count;

    /// <summary>Number of tokens trained on.</summary>
    public long TokenCount => _tables.TokenCount;

    /// <inheritdoc />
    public override TokenVocabulary Vocabulary { get; }

    /// <inheritdoc />
    public override int EndOfDocument { get; }

    /// <inheritdoc />
    public override string Fingerprint { get; }

    /// <inheritdoc />
    public override double Predict(ReadOnlySpan<int> context, Span<double> probabilities)
    {
        var accumulator = t_accumulator ??= new SparseAccumulator();
        accumulator.EnsureSize(Vocabulary.Count);

        // Walk from the shortest context to the longest one seen in training: p_k = (c(h,w) + D(h)·p_{k-1}) / (c(h) + D(h)).
        // p = beta·unigram + sparse part, so each order only rescales what is already in the accumulator.
        var beta = 1.0;
        var hash = ContextHash.Empty;
        for (var k = 1; k < Order && k <= context.Length; k++)
        {
            var older = context[^k];
            hash = ContextHash.Extend(hash, older);
            if (!_tables.Contexts.TryGetValue(hash, out var id))
            {
                break;
            }

            double distinct = _tables.ContextDistinct[id];
            double total = _tables.ContextTotal[id];
            var lambda = distinct / (total + distinct);
            accumulator.Scale(lambda);
            var end = _tables.ContextStart[id] + _tables.ContextDistinct[id];
            for (var e = _tables.ContextStart[id]; e < end; e++)
            {
                accumulator.Add(_tables.EntrySlot[e], _tables.EntryCount[e] / (total + distinct));
            }

            beta *= lambda;
            if (older == EndOfDocument)
            {
                break;
            }
        }

        VectorMath.Scale(_unigram, beta, probabilities);

        accumulator.DrainInto(probabilities);
        return beta * _unseenUnigram;
    }
}
