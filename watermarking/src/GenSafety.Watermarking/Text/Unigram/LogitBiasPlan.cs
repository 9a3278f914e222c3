namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>
/// The <c>logit_bias</c> to send upstream: the client's own entries, unchanged, plus +δ on green tokens of the scored
/// set, most frequent first, until the entry cap is reached.
/// </summary>
/// <param name="Kid">Key id of the green list (to record with the response).</param>
/// <param name="Entries">The merged map, token id → bias.</param>
/// <param name="ClientEntries">Entries that came from the client (all kept).</param>
/// <param name="WatermarkEntries">Entries added by the watermark.</param>
/// <param name="GreenTokensLeftOut">Green tokens of the scored set not biased (cap reached, or named by the client).</param>
public sealed record LogitBiasPlan(
    string Kid, IReadOnlyDictionary<int, double> Entries, int ClientEntries, int WatermarkEntries, int GreenTokensLeftOut)
{
    /// <summary>Whether the watermark added anything (false when the client's entries fill the cap).</summary>
    public bool Applied => WatermarkEntries > 0;
}
