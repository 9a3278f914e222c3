namespace GenSafety.ReferenceModel.Text;

/// <summary>Counts n-grams of cl100k tokens over training documents.</summary>
internal static class NGramTrainer
{
    /// <summary>
    /// Tokenizes <paramref name="documents"/> (each trained on <c>Copies</c> times) and builds an
    /// order-<paramref name="order"/> model.
    /// </summary>
    public static NGramLanguageModel Train(IEnumerable<(string Text, int Copies)> documents, int order, Cl100kTokenizer tokenizer)
    {
        var eod = tokenizer.EndOfDocument;
        var stream = new List<int>(1 << 18) { eod };
        foreach (var (text, copies) in documents)
        {
            var encoded = tokenizer.Encode(text);
            for (var copy = 0; copy < copies; copy++)
            {
                stream.AddRange(encoded);
                stream.Add(eod);
            }
        }

        var tokens = stream.ToArray();
        var vocabulary = BuildVocabulary(tokens, tokenizer);
        var slots = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            slots[i] = vocabulary.SlotOf(tokens[i]);
        }

        var tables = CountContexts(tokens, slots, order, vocabulary.Count, eod);
        return new NGramLanguageModel(vocabulary, tables, order, eod, tokenizer.OrdinaryTokenCount + 1);
    }

    private static TokenVocabulary BuildVocabulary(int[] tokens, Cl100kTokenizer tokenizer)
    {
        var seen = new bool[tokenizer.IdLimit];
        foreach (var token in tokens)
        {
            seen[token] = true;
        }

        var ids = new List<int>();
        for (var id = 0; id < seen.Length; id++)
        {
            if (seen[id])
            {
                ids.Add(id);
            }
        }

        return new TokenVocabulary(ids.ToArray(), tokenizer.IdLimit, tokenizer.OrdinaryTokenCount + 1);
    }

    /// <summary>
    /// Counts contexts level by level (context length k = 1, 2, ...), extending a position's context only while
    /// it is ambiguous (followed by more than one distinct token in training) and stopping at the start of its
    /// document or at <paramref name="order"/> − 1 tokens. This variable-order scheme keeps the tables small
    /// while letting long, unique contexts (memorized documents) decide the next token.
    /// </summary>
    private static NGramTables CountContexts(int[] tokens, int[] slots, int order, int vocabularySize, int eod)
    {
        var unigram = new int[vocabularySize];
        var active = new int[tokens.Length - 1];
        for (var i = 1; i < tokens.Length; i++)
        {
            unigram[slots[i]]++;
            active[i - 1] = i;
        }

        var activeCount = order > 1 ? active.Length : 0;
        var hashes = new ulong[tokens.Length];
        Array.Fill(hashes, ContextHash.Empty);
        var tables = new ContextTableBuilder();
        var keys = new ulong[activeCount];
        var next = new int[activeCount];
        for (var k = 1; k < order && activeCount > 0; k++)
        {
            for (var a = 0; a < activeCount; a++)
            {
                var i = active[a];
                hashes[i] = ContextHash.Extend(hashes[i], tokens[i - k]);
                keys[a] = hashes[i];
                next[a] = slots[i];
            }

            RadixSort.SortByKeyThenValue(keys, next, activeCount);
            var level = tables.AddLevel(keys, next, activeCount);

            // Keep the positions whose context is still ambiguous and can grow (not yet at the document start).
            var kept = 0;
            for (var a = 0; a < activeCount; a++)
            {
                var i = active[a];
                if (tokens[i - k] != eod && i - k - 1 >= 0 && level.TryGetValue(hashes[i], out var distinct) && distinct > 1)
                {
                    active[kept++] = i;
                }
            }

            activeCount = kept;
        }

        return tables.Build(unigram, tokens.Length - 1);
    }
}
