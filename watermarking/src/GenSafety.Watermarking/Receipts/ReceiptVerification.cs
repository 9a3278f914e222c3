namespace GenSafety.Watermarking.Receipts;

/// <summary>Result of <see cref="ReceiptService.Verify"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Kid">Key id named by the receipt, when it could be read.</param>
/// <param name="Claims">The signed claims, when the signature is valid.</param>
/// <param name="Reason">Why a receipt was rejected, in words (never includes key material).</param>
public sealed record ReceiptVerification(ReceiptStatus Status, string? Kid, ReceiptClaims? Claims, string? Reason)
{
    /// <summary>Whether the receipt is valid (and matches the output, when one was given).</summary>
    public bool IsValid => Status == ReceiptStatus.Valid;
}
