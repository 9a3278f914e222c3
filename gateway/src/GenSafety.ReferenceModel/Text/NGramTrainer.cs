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

    private static NGramTables CountContexts(int[] tokens, int[] slots, int order, int vocabularySize, int eod)
    {
        var unigram = new int[vocabularySize];
        var keys = new ulong[(tokens.Length - 1) * Math.Max(order - 1, 0)];
        var next = new int[keys.Length];
        var n = 0;
        for (var i = 1; i < tokens.Length; i++)
        {
            unigram[slots[i]]++;
            var hash = ContextHash.Empty;
            for (var k = 1; k < order && i - k >= 0; k++)
            {
                var older = tokens[i - k];
                hash = ContextHash.Extend(hash, older);
                keys[n] = hash;
                next[n] = slots[i];
                n++;
                if (older == eod)
                {
                    break; // contexts never reach back past the start of their document
                }
            }
        }

        RadixSort.SortByKeyThenValue(keys, next, n);

        // Pairs are now grouped by context and, within a context, by next token: one pass builds the tables.
        var groups = 0;
        var distinctPairs = 0;
        for (var i = 0; i < n; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                groups++;
                distinctPairs++;
            }
            else if (next[i] != next[i - 1])
            {
                distinctPairs++;
            }
        }

        var contextKeys = new ulong[groups];
        var start = new int[groups];
        var distinct = new int[groups];
        var total = new int[groups];
        var entrySlot = new int[distinctPairs];
        var entryCount = new int[distinctPairs];
        var g = -1;
        var e = -1;
        for (var i = 0; i < n; i++)
        {
            var newContext = i == 0 || keys[i] != keys[i - 1];
            if (newContext)
            {
                g++;
                contextKeys[g] = keys[i];
                start[g] = e + 1;
            }

            if (newContext || next[i] != next[i - 1])
            {
                e++;
                entrySlot[e] = next[i];
                distinct[g]++;
            }

            entryCount[e]++;
            total[g]++;
        }

        var contexts = new ContextIndex(contextKeys);
        return new NGramTables
        {
            Contexts = contexts,
            ContextStart = start,
            ContextDistinct = distinct,
            ContextTotal = total,
            EntrySlot = entrySlot,
            EntryCount = entryCount,
            UnigramCounts = unigram,
            TokenCount = tokens.Length - 1,
        };
    }
}
