namespace GenSafety.Watermarking.Keys;

/// <summary>
/// One derived key: its public id (<see cref="Kid"/>), the tenant and epoch it belongs to, and the secret bytes, which
/// only the schemes in this assembly can read. <see cref="ToString"/> shows the kid alone.
/// </summary>
public sealed class WatermarkKey
{
    private readonly byte[] _material;

    internal WatermarkKey(string kid, string tenant, long epoch, KeyPurpose purpose, byte[] material)
    {
        Kid = kid;
        Tenant = tenant;
        Epoch = epoch;
        Purpose = purpose;
        _material = material;
    }

    /// <summary>Public key id carried by marks and receipts (<c>{tenant tag}.{epoch}</c>, or <c>r.{epoch}</c> for receipts).</summary>
    public string Kid { get; }

    /// <summary>Tenant the key belongs to (empty for the gateway-wide receipt key).</summary>
    public string Tenant { get; }

    /// <summary>Rotation epoch the key was derived for.</summary>
    public long Epoch { get; }

    /// <summary>What the key is for.</summary>
    public KeyPurpose Purpose { get; }

    /// <summary>The secret bytes (32).</summary>
    internal ReadOnlySpan<byte> Material => _material;

    /// <inheritdoc />
    public override string ToString() => $"WatermarkKey({Purpose}, {Kid})";
}
