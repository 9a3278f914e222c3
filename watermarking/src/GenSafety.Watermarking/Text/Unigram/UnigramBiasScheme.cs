using System.Collections.Concurrent;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>
/// The <c>unigram-bias</c> text watermark for one tokenizer: a keyed green list (Zhao et al.'s Unigram watermark)
/// applied through the upstream's <c>logit_bias</c>, and a z-test on the share of green tokens among the distinct
/// scored tokens of a text. Thread-safe; green lists are cached per key.
/// </summary>
public sealed class UnigramBiasScheme
{
    /// <summary>Scheme name used in configuration and evidence.</summary>
    public const string Name = "unigram-bias";

    private readonly UnigramBiasOptions _options;
    private readonly bool[] _scored;
    private readonly ConcurrentDictionary<string, GreenList> _greenLists = new(StringComparer.Ordinal);

    /// <summary>Creates the scheme; <paramref name="options"/> must be valid (see <see cref="UnigramBiasOptionsValidator"/>).</summary>
    public UnigramBiasScheme(UnigramBiasOptions options, TokenVocabulary vocabulary)
    {
        OptionsGuard.ThrowIfInvalid(new UnigramBiasOptionsValidator(), options, nameof(options));
        ArgumentNullException.ThrowIfNull(vocabulary);

        _options = options;
        Vocabulary = vocabulary;
        ScoredTokens = Math.Min(vocabulary.Size, options.ScoredTokens ?? DefaultScoredTokens(options.EntryCap, options.Gamma, vocabulary.Size));
        _scored = new bool[vocabulary.Size];
        foreach (var token in vocabulary.RankedTokens[..ScoredTokens])
        {
            _scored[token] = true;
        }
    }

    /// <summary>The tokenizer and ranking in use.</summary>
    public TokenVocabulary Vocabulary { get; }

    /// <summary>Size K of the scored set (the K most frequent tokens).</summary>
    public int ScoredTokens { get; }

    /// <summary>
    /// The largest K with γK + 3·sqrt(Kγ(1−γ)) ≤ cap: the green part of the K most frequent tokens fits in the cap
    /// in 99.9% of keys; for the rest the least frequent green tokens are left out of the plan (they are still scored).
    /// </summary>
    public static int DefaultScoredTokens(int? entryCap, double gamma, int vocabularySize)
    {
        if (entryCap is not { } cap)
        {
            return vocabularySize;
        }

        var k = 1;
        while (k < vocabularySize && (gamma * (k + 1)) + (3 * Math.Sqrt((k + 1) * gamma * (1 - gamma))) <= cap)
        {
            k++;
        }

        return k;
    }

    /// <summary>
    /// Builds the request's <c>logit_bias</c>. Merge rules: every client entry is kept with the client's value (a
    /// client entry on a green token wins over +δ); watermark entries fill the remaining room under the cap, most
    /// frequent green tokens first; when the client's entries alone fill the cap the plan adds nothing. Green tokens get
    /// <paramref name="delta"/>, or the configured δ when it is null.
    /// </summary>
    public LogitBiasPlan Plan(WatermarkKey key, IReadOnlyDictionary<int, double>? clientBias, double? delta = null)
    {
        var bias = delta ?? _options.Delta;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bias, nameof(delta));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bias, 100, nameof(delta));
        var green = GreenListFor(key);
        var entries = clientBias is null ? new Dictionary<int, double>() : new Dictionary<int, double>(clientBias);
        var clientCount = entries.Count;
        var room = _options.EntryCap is { } cap ? Math.Max(0, cap - clientCount) : int.MaxValue;
        var added = 0;
        var leftOut = 0;
        foreach (var token in Vocabulary.RankedTokens[..ScoredTokens])
        {
            if (!green.IsGreen(token))
            {
                continue;
            }

            if (added < room && entries.TryAdd(token, bias))
            {
                added++;
            }
            else
            {
                leftOut++;
            }
        }

        return new LogitBiasPlan(key.Kid, entries, clientCount, added, leftOut);
    }

    /// <summary>Tests <paramref name="text"/> against one key at the configured false-positive rate.</summary>
    public WatermarkTestResult Detect(string text, WatermarkKey key) => Detect(text, key, _options.TargetFalsePositiveRate);

    /// <summary>Tests <paramref name="text"/> against one key at false-positive rate <paramref name="alpha"/>.</summary>
    public WatermarkTestResult Detect(string text, WatermarkKey key, double alpha)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Score(Vocabulary.Tokenizer.EncodeToIds(OutputNormalizer.Fold(text)), key, alpha);
    }

    /// <summary>
    /// Tests <paramref name="text"/> against every key (live and retired); the verdict is Bonferroni-corrected so the
    /// family-wise false-positive rate is at most the configured rate.
    /// </summary>
    public WatermarkTestResult Detect(string text, IReadOnlyList<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Invisible characters and look-alike letters would change the tokens.
        var tokens = Vocabulary.Tokenizer.EncodeToIds(OutputNormalizer.Fold(text));
        return WatermarkTestResult.AcrossKeys(keys, _options.TargetFalsePositiveRate, (key, alpha) => Score(tokens, key, alpha));
    }

    /// <summary>
    /// Scores token ids: each distinct token of the scored set counts once (Kirchenbauer et al.'s "ignore repeated
    /// tokens"), which makes the green indicators independent Bernoulli(γ) under the null and the binomial p exact.
    /// </summary>
    public WatermarkTestResult Score(IReadOnlyList<int> tokens, WatermarkKey key, double alpha)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var green = GreenListFor(key);
        var seen = new HashSet<int>();
        var hits = 0;
        foreach (var token in tokens)
        {
            if ((uint)token < (uint)_scored.Length && _scored[token] && seen.Add(token) && green.IsGreen(token))
            {
                hits++;
            }
        }

        return WatermarkTestResult.Binomial(Name, key.Kid, seen.Count, hits, green.Gamma, alpha);
    }

    /// <summary>The keyed green list of <paramref name="key"/> (computed once per key, a few milliseconds).</summary>
    public GreenList GreenListFor(WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Purpose != KeyPurpose.UnigramBias)
        {
            throw new ArgumentException($"The unigram-bias scheme needs a {KeyPurpose.UnigramBias} key, not a {key.Purpose} key.", nameof(key));
        }

        // Kids are unique per tenant and epoch, so they identify the key within one ring.
        return _greenLists.GetOrAdd(key.Kid, static (_, state) => new GreenList(state.key, state.size, state.gamma),
            (key, size: Vocabulary.Size, gamma: _options.Gamma));
    }
}
