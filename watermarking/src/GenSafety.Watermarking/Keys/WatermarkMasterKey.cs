using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Watermarking.Keys;

/// <summary>
/// The gateway's watermark master secret. Every tenant key is derived from it with HKDF-SHA256; the bytes never leave
/// this type (no property exposes them, <see cref="ToString"/> is redacted and errors never quote the secret).
/// </summary>
public sealed class WatermarkMasterKey
{
    /// <summary>Smallest accepted secret, in bytes (the HKDF-SHA256 output size).</summary>
    public const int MinimumLength = 32;

    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("gensafety.watermarking.v1");

    private readonly byte[] _secret;

    private WatermarkMasterKey(byte[] secret) => _secret = secret;

    /// <summary>Creates the master key from raw secret bytes (at least <see cref="MinimumLength"/>).</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinimumLength"/> bytes.</exception>
    public static WatermarkMasterKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumLength)
        {
            throw new ArgumentException(
                $"The watermark master key must be at least {MinimumLength} bytes; the one given has {secret.Length}.", nameof(secret));
        }

        return new WatermarkMasterKey(secret.ToArray());
    }

    /// <summary>Creates the master key from a base64 secret (as read from an environment variable or a secret file).</summary>
    /// <exception cref="ArgumentException">The text is not base64 or decodes to fewer than <see cref="MinimumLength"/> bytes.</exception>
    public static WatermarkMasterKey FromBase64(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var buffer = new byte[(secret.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(secret.Trim(), buffer, out var written))
        {
            // The message must not echo the secret, not even a prefix of it.
            throw new ArgumentException("The watermark master key is not valid base64.", nameof(secret));
        }

        return FromBytes(buffer.AsSpan(0, written));
    }

    /// <summary>
    /// Derives a key: HKDF-SHA256(master, salt "gensafety.watermarking.v1", info = purpose ‖ 0 ‖ scope ‖ 0 ‖ epoch as
    /// 8 big-endian bytes). Distinct purposes, scopes (tenants) and epochs give independent keys.
    /// </summary>
    internal byte[] Derive(string purpose, string scope, long epoch, int length)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var info = new byte[purposeBytes.Length + 1 + scopeBytes.Length + 1 + sizeof(long)];
        purposeBytes.CopyTo(info, 0);
        scopeBytes.CopyTo(info, purposeBytes.Length + 1);
        BinaryPrimitives.WriteInt64BigEndian(info.AsSpan(info.Length - sizeof(long)), epoch);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, length, Salt, info);
    }

    /// <inheritdoc />
    public override string ToString() => "WatermarkMasterKey(redacted)";
}
