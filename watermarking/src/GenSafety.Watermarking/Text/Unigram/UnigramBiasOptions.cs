namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>Settings of the <c>unigram-bias</c> scheme (section <c>GenSafety:Watermarking:UnigramBias</c>).</summary>
public sealed class UnigramBiasOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Watermarking:UnigramBias";

    /// <summary>
    /// Green fraction γ of the keyed list, 0.01 &lt; γ &lt; 0.99. Default 0.25: under an entry cap a smaller γ lets
    /// the scored set cover more frequent tokens (K ≈ cap/γ).
    /// </summary>
    public double Gamma { get; set; } = 0.25;

    /// <summary>Logit bias δ added to green tokens (OpenAI accepts −100..100). Default 2, Kirchenbauer et al.'s.</summary>
    public double Delta { get; set; } = 2.0;

    /// <summary>
    /// Most <c>logit_bias</c> entries the upstream accepts (client entries included), or null for no limit (then
    /// every green token of the vocabulary is biased). Default 300, OpenAI's limit.
    /// </summary>
    public int? EntryCap { get; set; } = 300;

    /// <summary>
    /// Size K of the scored set: the K most frequent tokens whose green members are biased and scored. Null (default)
    /// picks the largest K whose expected green count plus three standard deviations fits in <see cref="EntryCap"/>;
    /// with no cap it is the whole vocabulary. Marks made under one K are detected only under the same K.
    /// </summary>
    public int? ScoredTokens { get; set; }

    /// <summary>Tokenizer encoding per model name (exact match); models not listed use <see cref="DefaultEncoding"/>.</summary>
    public Dictionary<string, string> ModelEncodings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Encoding of models not in <see cref="ModelEncodings"/>. Default <c>cl100k_base</c>.</summary>
    public string DefaultEncoding { get; set; } = TokenVocabulary.Cl100kBase;

    /// <summary>The encoding configured for <paramref name="model"/> (exact name match, else <see cref="DefaultEncoding"/>).</summary>
    public string EncodingFor(string model) => ModelEncodings.TryGetValue(model, out var encoding) ? encoding : DefaultEncoding;

    /// <summary>
    /// δ per upstream model name (overrides <see cref="Delta"/>): the green-share shift a bias buys depends on the model's
    /// entropy, so a low-entropy model needs a larger δ for the same detection rate (docs/watermarking.md). Detection
    /// does not depend on δ.
    /// </summary>
    public Dictionary<string, double> ModelDeltas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>δ for <paramref name="model"/> (<see cref="Delta"/> when the model is unknown or not listed).</summary>
    public double DeltaFor(string? model) => model is not null && ModelDeltas.TryGetValue(model, out var delta) ? delta : Delta;

    /// <summary>Per-key false-positive rate target of detection, before the Bonferroni correction over keys. Default 1e-3.</summary>
    public double TargetFalsePositiveRate { get; set; } = 1e-3;
}
