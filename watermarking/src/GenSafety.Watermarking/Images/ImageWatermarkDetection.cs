using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// The verdict on one image. <see cref="Test"/> holds the statistics: <c>Scored</c> tag sites, <c>Hits</c> of them
/// agreeing with the best candidate's tag, null rate ½, and a p-value already multiplied by the number of
/// candidates (and, across keys, by the number of keys).
/// </summary>
/// <param name="Test">The hypothesis test of the best key and candidate.</param>
/// <param name="RecordId">The record id the mark carries; set only when <see cref="Detected"/>.</param>
/// <param name="Candidates">Hypotheses tested per key: 2^<see cref="ImageWatermarkOptions.ListDecodingBits"/> candidate ids × <see cref="ImageWatermarkOptions.GainCandidates"/> gains.</param>
public sealed record ImageWatermarkDetection(WatermarkTestResult Test, ulong? RecordId, int Candidates)
{
    /// <summary>Whether the image is judged marked by one of the keys (p-value ≤ α).</summary>
    public bool Detected => Test.Detected;

    /// <summary>Family-wise p-value (see <see cref="WatermarkTestResult.PValue"/>).</summary>
    public double PValue => Test.PValue;

    /// <summary>Key of the best test.</summary>
    public string Kid => Test.Kid;
}
