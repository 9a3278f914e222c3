namespace GenSafety.Watermarking.Receipts;

/// <summary>Outcome of checking a receipt.</summary>
public enum ReceiptStatus
{
    /// <summary>Signature valid under a live or retained key (and the output matches, when one was given).</summary>
    Valid,

    /// <summary>Not a well-formed receipt (wrong shape, encoding, algorithm or claims).</summary>
    Malformed,

    /// <summary>The key id is unknown, or its epoch has been rotated out of retention.</summary>
    UnknownKey,

    /// <summary>The signature does not match: the receipt was altered or signed by someone else.</summary>
    BadSignature,

    /// <summary>The receipt is genuine but covers a different output than the one given.</summary>
    OutputMismatch,
}
