using System.Globalization;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Ledger ids of image records: <c>img_</c> + the 16 lowercase hex digits of the 64-bit id the image's watermark
/// carries, so a decoded mark names its ledger record directly.
/// </summary>
internal static class ImageRecordIds
{
    /// <summary>Prefix of image record ids.</summary>
    public const string Prefix = "img_";

    /// <summary>The ledger id of the image marked with <paramref name="watermarkId"/>.</summary>
    public static string Format(ulong watermarkId) => Prefix + watermarkId.ToString("x16", CultureInfo.InvariantCulture);
}
