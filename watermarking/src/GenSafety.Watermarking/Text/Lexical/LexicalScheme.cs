using System.Text;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>
/// The <c>lexical</c> post-hoc text watermark (the Yang et al. / CATER family): each candidate word (see
/// <see cref="LexicalScanner"/>) becomes the keyed preferred member of its synonym group given the previous word;
/// detection counts the distinct (previous word, group) positions that hold the preferred member against the null
/// rate 1/k of a k-word group (exact Poisson-binomial p-value; for two-word groups the one-proportion test at ½).
/// Works with any upstream; JSON output is never touched. Thread-safe.
/// </summary>
public sealed class LexicalScheme
{
    /// <summary>Scheme name used in configuration and evidence.</summary>
    public const string Name = "lexical";

    private readonly LexicalOptions _options;

    /// <summary>Creates the scheme; <paramref name="options"/> must be valid (see <see cref="LexicalOptionsValidator"/>).</summary>
    public LexicalScheme(LexicalOptions options, SynonymLexicon lexicon)
    {
        OptionsGuard.ThrowIfInvalid(new LexicalOptionsValidator(), options, nameof(options));
        ArgumentNullException.ThrowIfNull(lexicon);

        _options = options;
        Lexicon = lexicon;
    }

    /// <summary>The synonym lexicon.</summary>
    public SynonymLexicon Lexicon { get; }

    /// <summary>
    /// Marks a whole response. <paramref name="isJson"/> (JSON mode, tool-call arguments) returns the text unchanged,
    /// as does text that starts with <c>{</c> or <c>[</c>.
    /// </summary>
    public string Mark(string text, WatermarkKey key, bool isJson = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = BeginStream(key, isJson || LooksLikeJson(text));
        return stream.Append(text) + stream.Complete();
    }

    /// <summary>Starts marking a streamed response; it holds back at most one partial word between chunks.</summary>
    public LexicalStreamMarker BeginStream(WatermarkKey key, bool isJson = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new LexicalStreamMarker(new LexicalScanner(Lexicon), new LexicalPreference(key), _options.MaxHeldCharacters, isJson);
    }

    /// <summary>Tests <paramref name="text"/> against one key at the configured false-positive rate.</summary>
    public WatermarkTestResult Detect(string text, WatermarkKey key) => Detect(text, key, _options.TargetFalsePositiveRate);

    /// <summary>Tests <paramref name="text"/> against one key at false-positive rate <paramref name="alpha"/>.</summary>
    public WatermarkTestResult Detect(string text, WatermarkKey key, double alpha)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(key);
        var preference = new LexicalPreference(key);
        if (LooksLikeJson(text))
        {
            // Never marked (see Mark), so never scored.
            return WatermarkTestResult.PoissonBinomial(Name, key.Kid, [], 0, alpha);
        }

        // Invisible characters and look-alike letters would hide positions from the scanner.
        text = OutputNormalizer.Fold(text);
        var seen = new HashSet<(string, string)>();
        var rates = new List<double>();
        var hits = 0;
        new LexicalScanner(Lexicon).Scan(text, new StringBuilder(text.Length), (previous, word, group) =>
        {
            // The group's first member names the group: one position per distinct (previous word, group).
            if (seen.Add((previous.ToString(), group[0])))
            {
                rates.Add(1.0 / group.Count);
                hits += word.SequenceEqual(preference.Preferred(previous, group)) ? 1 : 0;
            }

            return word.ToString();
        });
        return WatermarkTestResult.PoissonBinomial(Name, key.Kid, rates, hits, alpha);
    }

    /// <summary>Tests <paramref name="text"/> against every key (live and retired), Bonferroni-corrected.</summary>
    public WatermarkTestResult Detect(string text, IReadOnlyList<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = OutputNormalizer.Fold(text);
        return WatermarkTestResult.AcrossKeys(keys, _options.TargetFalsePositiveRate, (key, alpha) => Detect(folded, key, alpha));
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }
}
