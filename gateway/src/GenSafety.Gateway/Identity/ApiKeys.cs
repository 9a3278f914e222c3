using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Gateway.Identity;

/// <summary>
/// Client keys look like <c>gsk_&lt;key id&gt;_&lt;secret&gt;</c>. The key id finds the stored credential; the whole key
/// is verified against a salted SHA-256 (HMAC keyed by the server pepper). A key that does not have this shape
/// (an operator-chosen demo key, say) gets a key id derived from its hash, so any string can be a key.
/// </summary>
public static class ApiKeys
{
    /// <summary>Prefix of generated keys.</summary>
    public const string Prefix = "gsk_";

    private const int KeyIdBytes = 9;
    private const int SecretBytes = 32;
    private const int SaltBytes = 16;
    private const int LongestKey = 512;

    /// <summary>Creates a fresh random key and its id.</summary>
    public static (string Key, string KeyId) Generate()
    {
        var keyId = ToKeyText(RandomNumberGenerator.GetBytes(KeyIdBytes));
        var secret = ToKeyText(RandomNumberGenerator.GetBytes(SecretBytes));
        return ($"{Prefix}{keyId}_{secret}", keyId);
    }

    /// <summary>Returns the key id of a presented key, or <see langword="null"/> when the value cannot be a key at all.</summary>
    public static string? GetKeyId(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > LongestKey)
        {
            return null;
        }

        if (key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = key[Prefix.Length..];
            var separator = rest.IndexOf('_');
            if (separator > 0 && separator < rest.Length - 1)
            {
                return rest[..separator].ToString();
            }
        }

        // Not one of ours: derive a stable id so operator-chosen keys still work.
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..length], digest);
        return "h" + ToKeyText(digest[..KeyIdBytes]);
    }

    /// <summary>New random salt for a stored credential.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    /// <summary>HMAC-SHA256 keyed by the pepper over salt and key: the only form in which a key is stored.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> pepper, ReadOnlySpan<byte> salt, ReadOnlySpan<char> key)
    {
        Span<byte> message = stackalloc byte[salt.Length + Encoding.UTF8.GetMaxByteCount(key.Length)];
        salt.CopyTo(message);
        var length = salt.Length + Encoding.UTF8.GetBytes(key, message[salt.Length..]);
        return HMACSHA256.HashData(pepper, message[..length]);
    }

    /// <summary>Constant-time check of a presented key against a stored hash.</summary>
    public static bool Verify(ReadOnlySpan<byte> pepper, ReadOnlySpan<byte> salt, ReadOnlySpan<char> key, ReadOnlySpan<byte> storedHash)
        => CryptographicOperations.FixedTimeEquals(Hash(pepper, salt, key), storedHash);

    // Base64 with both '+' and '/' mapped to '-': URL- and header-safe, and never the '_' separator.
    private static string ToKeyText(ReadOnlySpan<byte> bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
