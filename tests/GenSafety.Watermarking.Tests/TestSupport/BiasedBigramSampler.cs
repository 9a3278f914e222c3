using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>
/// A simulated upstream for the unigram-bias scheme: an interpolated token bigram model (λ·bigram + (1−λ)·unigram)
/// trained on shipped human text, sampled at temperature 1 with OpenAI logit_bias semantics (a biased token's
/// probability is multiplied by e^bias before renormalising). Only uniform positive biases are supported, which is
/// what a watermark plan without client entries contains.
/// </summary>
internal sealed class BiasedBigramSampler
{
    private const double Lambda = 0.7;

    private readonly TokenVocabulary _vocabulary;
    private readonly int[] _unigram;
    private readonly int[] _unigramTokens;
    private readonly long[] _unigramCumulative;
    private readonly Dictionary<int, (int[] Next, long[] Cumulative)> _bigram = [];

    public BiasedBigramSampler(TokenVocabulary vocabulary, IEnumerable<string> training)
    {
        _vocabulary = vocabulary;
        _unigram = new int[vocabulary.Size];
        var pairs = new Dictionary<int, Dictionary<int, int>>();
        foreach (var document in training)
        {
            var ids = vocabulary.Tokenizer.EncodeToIds(document);
            for (var i = 0; i < ids.Count; i++)
            {
                _unigram[ids[i]]++;
                if (i > 0)
                {
                    var next = pairs.TryGetValue(ids[i - 1], out var n) ? n : pairs[ids[i - 1]] = [];
                    next[ids[i]] = next.GetValueOrDefault(ids[i]) + 1;
                }
            }
        }

        _unigramTokens = Enumerable.Range(0, vocabulary.Size).Where(t => _unigram[t] > 0).ToArray();
        _unigramCumulative = Cumulative(_unigramTokens.Select(t => _unigram[t]));
        foreach (var (previous, next) in pairs)
        {
            var tokens = next.Keys.ToArray();
            _bigram[previous] = (tokens, Cumulative(tokens.Select(t => next[t])));
        }
    }

    public static BiasedBigramSampler FromShippedText(TokenVocabulary vocabulary) =>
        new(vocabulary, ShippedText.HumanDocuments.Take(300));

    /// <summary>Samples <paramref name="length"/> tokens with <paramref name="logitBias"/> applied; returns the decoded text.</summary>
    public string Sample(IReadOnlyDictionary<int, double>? logitBias, int length, Random random)
    {
        var biased = new bool[_vocabulary.Size];
        var delta = 0.0;
        foreach (var (token, bias) in logitBias ?? new Dictionary<int, double>())
        {
            if (bias <= 0 || (delta != 0 && bias != delta))
            {
                throw new ArgumentException("The simulated sampler supports one positive bias value only.");
            }

            biased[token] = true;
            delta = bias;
        }

        var unigramBiasedMass = _unigramTokens.Where(t => biased[t]).Sum(t => (double)_unigram[t]) / _unigramCumulative[^1];
        var tokens = new List<int>(length);
        var previous = _unigramTokens[Draw(_unigramCumulative, random)];
        for (var i = 0; i < length; i++)
        {
            var hasBigram = _bigram.TryGetValue(previous, out var next);
            var bigramBiasedMass = 0.0;
            if (hasBigram)
            {
                for (var j = 0; j < next.Next.Length; j++)
                {
                    if (biased[next.Next[j]])
                    {
                        bigramBiasedMass += next.Cumulative[j] - (j == 0 ? 0 : next.Cumulative[j - 1]);
                    }
                }

                bigramBiasedMass /= next.Cumulative[^1];
            }

            var lambda = hasBigram ? Lambda : 0;
            var mass = (lambda * bigramBiasedMass) + ((1 - lambda) * unigramBiasedMass);
            var weighted = Math.Exp(delta) * mass;
            var wantBiased = random.NextDouble() < weighted / (weighted + 1 - mass);
            int token;
            do
            {
                token = hasBigram && random.NextDouble() < lambda
                    ? next.Next[Draw(next.Cumulative, random)]
                    : _unigramTokens[Draw(_unigramCumulative, random)];
            }
            while (biased[token] != wantBiased);

            tokens.Add(token);
            previous = token;
        }

        return _vocabulary.Tokenizer.Decode(tokens) ?? string.Empty;
    }

    /// <summary>
    /// Perplexity of <paramref name="texts"/> (pooled over their tokens) under the unbiased interpolated model: the
    /// quality cost of a mark, measured by the model the simulated upstream samples from. Tokens the model never saw
    /// get the unigram floor of one count.
    /// </summary>
    public double Perplexity(IEnumerable<string> texts)
    {
        double logSum = 0;
        long count = 0;
        var total = (double)_unigramCumulative[^1];
        foreach (var text in texts)
        {
            var ids = _vocabulary.Tokenizer.EncodeToIds(text);
            for (var i = 1; i < ids.Count; i++)
            {
                var unigram = Math.Max(1, _unigram[ids[i]]) / total;
                var p = (1 - Lambda) * unigram;
                if (_bigram.TryGetValue(ids[i - 1], out var next))
                {
                    var at = Array.IndexOf(next.Next, ids[i]);
                    var bigram = at < 0 ? 0 : (next.Cumulative[at] - (at == 0 ? 0 : next.Cumulative[at - 1])) / (double)next.Cumulative[^1];
                    p += Lambda * bigram;
                }
                else
                {
                    p = unigram;
                }

                logSum += Math.Log(p);
                count++;
            }
        }

        return count == 0 ? double.NaN : Math.Round(Math.Exp(-logSum / count), 1);
    }

    private static long[] Cumulative(IEnumerable<int> counts)
    {
        var result = new List<long>();
        var sum = 0L;
        foreach (var count in counts)
        {
            sum += count;
            result.Add(sum);
        }

        return [.. result];
    }

    private static int Draw(long[] cumulative, Random random)
    {
        var target = (long)(random.NextDouble() * cumulative[^1]);
        var index = Array.BinarySearch(cumulative, target + 1);
        return index >= 0 ? index : ~index;
    }
}
