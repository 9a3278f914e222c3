using GenSafety.Watermarking.Receipts;

namespace GenSafety.Gateway.Provenance;

/// <summary>The wire names of <see cref="ReceiptStatus"/> in verification evidence (<c>detail</c> of the <c>receipt</c> entry).</summary>
internal static class ReceiptStatusNames
{
    /// <summary><c>valid</c>, <c>malformed</c>, <c>unknown_key</c>, <c>bad_signature</c> or <c>output_mismatch</c>.</summary>
    public static string Of(ReceiptStatus status) => status switch
    {
        ReceiptStatus.Valid => "valid",
        ReceiptStatus.Malformed => "malformed",
        ReceiptStatus.UnknownKey => "unknown_key",
        ReceiptStatus.BadSignature => "bad_signature",
        _ => "output_mismatch",
    };
}
