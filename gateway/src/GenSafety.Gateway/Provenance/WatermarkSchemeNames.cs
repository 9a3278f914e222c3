using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.Gateway.Provenance;

/// <summary>Text watermark scheme names accepted by <see cref="ProvenanceOptions.DefaultScheme"/> and <see cref="ProvenanceOptions.TenantSchemes"/>.</summary>
public static class WatermarkSchemeNames
{
    /// <summary>Keyed green list injected through the upstream request's <c>logit_bias</c>.</summary>
    public const string UnigramBias = UnigramBiasScheme.Name;

    /// <summary>Keyed synonym choice applied to the response text (JSON and streams).</summary>
    public const string Lexical = LexicalScheme.Name;

    /// <summary>No text mark (the ledger record and the receipt are still made).</summary>
    public const string None = "none";

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyList<string> All { get; } = [UnigramBias, Lexical, None];
}
