namespace GenSafety.Watermarking.Keys;

/// <summary>What a derived key is for; each purpose gets an independent key from the same tenant and epoch.</summary>
public enum KeyPurpose
{
    /// <summary>The keyed green list of the <c>unigram-bias</c> text scheme.</summary>
    UnigramBias,

    /// <summary>The keyed substitution bits of the <c>lexical</c> text scheme.</summary>
    Lexical,

    /// <summary>The keyed coefficient layout and dither of the <c>image-qim</c> image scheme.</summary>
    Image,

    /// <summary>The keyed orthogonal rotation of a tenant's embeddings (never rotated: see <see cref="WatermarkKeyRing.Permanent"/>).</summary>
    Embedding,

    /// <summary>HS256 signatures of provenance receipts (gateway-wide, not per tenant).</summary>
    Receipt,
}
