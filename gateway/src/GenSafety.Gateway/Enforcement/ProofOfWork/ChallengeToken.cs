using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// Signed, client-bound challenge tokens and the work check. A token is
/// <c>base64url(payload) "." base64url(HMAC-SHA256(secret, payload))</c>; the payload is the ASCII text
/// <c>1:{tenant}:{clientId}:{bits}:{expiresUnixMs}:{tokenId}</c> (ids never contain ':', see <see cref="StateIds"/>).
/// A proof is a nonce (1 to <see cref="MaxNonceLength"/> printable ASCII characters) such that
/// <c>SHA-256(token ":" nonce)</c> starts with at least <c>bits</c> zero bits (most significant bit of byte 0 first).
/// </summary>
public static class ChallengeToken
{
    /// <summary>Payload format version.</summary>
    public const int Version = 1;

    /// <summary>Longest nonce accepted.</summary>
    public const int MaxNonceLength = 64;

    /// <summary>Longest token accepted (ids of 64 characters give about 260).</summary>
    public const int MaxTokenLength = 512;

    private const int MacLength = 32;
    private const int TokenIdBytes = 16;

    /// <summary>Issues a token for <paramref name="client"/> asking for <paramref name="bits"/> zero bits until <paramref name="expiresAt"/>.</summary>
    public static string Issue(ReadOnlySpan<byte> key, ClientIdentity client, int bits, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(client);
        StateIds.Validate(client.Tenant, "client.Tenant");
        StateIds.Validate(client.ClientId, "client.ClientId");
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 256);

        string tokenId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenIdBytes));
        string payload = string.Create(CultureInfo.InvariantCulture,
            $"{Version}:{client.Tenant}:{client.ClientId}:{bits}:{expiresAt.ToUnixTimeMilliseconds()}:{tokenId}");
        byte[] payloadBytes = Encoding.ASCII.GetBytes(payload);
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, payloadBytes, mac);
        return Base64Url.EncodeToString(payloadBytes) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// Checks <paramref name="token"/> and <paramref name="nonce"/> for <paramref name="client"/> at <paramref name="now"/>,
    /// in this order: shape, signature (constant-time), client, expiry, work. Does not check replay
    /// (see <see cref="IChallengeReplayGuard"/>). Claims are returned once the signature holds.
    /// </summary>
    public static ChallengeVerification Verify(ReadOnlySpan<byte> key, string? token, string? nonce, ClientIdentity client, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !IsValidNonce(nonce))
        {
            return new(ChallengeResult.Malformed, null);
        }

        int dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.IndexOf('.', dot + 1) >= 0)
        {
            return new(ChallengeResult.Malformed, null);
        }

        Span<byte> payload = stackalloc byte[MaxTokenLength];
        Span<byte> presentedMac = stackalloc byte[MacLength + 3];
        if (Base64Url.DecodeFromChars(token.AsSpan(0, dot), payload, out _, out int payloadLength) != OperationStatus.Done
            || Base64Url.DecodeFromChars(token.AsSpan(dot + 1), presentedMac, out _, out int macLength) != OperationStatus.Done
            || macLength != MacLength)
        {
            return new(ChallengeResult.Malformed, null);
        }

        payload = payload[..payloadLength];
        Span<byte> expectedMac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, payload, expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, presentedMac[..MacLength]))
        {
            return new(ChallengeResult.BadSignature, null);
        }

        if (ParseClaims(payload) is not { } claims)
        {
            return new(ChallengeResult.Malformed, null);
        }

        if (!string.Equals(claims.Tenant, client.Tenant, StringComparison.Ordinal)
            || !string.Equals(claims.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return new(ChallengeResult.WrongClient, claims);
        }

        if (now >= claims.ExpiresAt)
        {
            return new(ChallengeResult.Expired, claims);
        }

        return HasWork(token, nonce!, claims.Bits)
            ? new(ChallengeResult.Valid, claims)
            : new(ChallengeResult.InsufficientWork, claims);
    }

    /// <summary>Whether <c>SHA-256(token ":" nonce)</c> has at least <paramref name="bits"/> leading zero bits.</summary>
    public static bool HasWork(string token, string nonce, int bits)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(nonce);
        int length = token.Length + 1 + nonce.Length;
        Span<byte> input = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Encoding.ASCII.GetBytes(token, input);
        input[token.Length] = (byte)':';
        Encoding.ASCII.GetBytes(nonce, input[(token.Length + 1)..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return LeadingZeroBits(hash) >= bits;
    }

    /// <summary>Number of leading zero bits of <paramref name="hash"/>, most significant bit of byte 0 first.</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        int bits = 0;
        while (hash.Length >= 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(hash);
            if (word != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount(word);
            }

            bits += 64;
            hash = hash[8..];
        }

        foreach (byte b in hash)
        {
            if (b != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }

    /// <summary>Whether <paramref name="nonce"/> is 1 to <see cref="MaxNonceLength"/> printable ASCII characters (0x21-0x7E).</summary>
    public static bool IsValidNonce(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > MaxNonceLength)
        {
            return false;
        }

        foreach (char c in nonce)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static ChallengeClaims? ParseClaims(ReadOnlySpan<byte> payload)
    {
        // Signed by us, so well-formed unless the format changed; parse defensively all the same.
        string text = Encoding.ASCII.GetString(payload);
        string[] parts = text.Split(':');
        if (parts.Length != 6
            || parts[0] != Version.ToString(CultureInfo.InvariantCulture)
            || !StateIds.IsValid(parts[1]) || !StateIds.IsValid(parts[2])
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits < 1
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out long expiresMs)
            || expiresMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !StateIds.IsValid(parts[5]))
        {
            return null;
        }

        return new ChallengeClaims(parts[1], parts[2], bits, DateTimeOffset.FromUnixTimeMilliseconds(expiresMs), parts[5]);
    }
}

/// <summary>Outcome of checking a proof of work.</summary>
public enum ChallengeResult
{
    /// <summary>Signed for this client, unexpired, enough work, first use.</summary>
    Valid,

    /// <summary>Header, token or nonce not in the documented shape.</summary>
    Malformed,

    /// <summary>The signature does not match: forged, tampered with, or signed with another secret.</summary>
    BadSignature,

    /// <summary>Issued to another client or tenant.</summary>
    WrongClient,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>The hash has fewer leading zero bits than asked for.</summary>
    InsufficientWork,

    /// <summary>Already redeemed once.</summary>
    Replayed,
}

/// <summary>What a signed token says.</summary>
/// <param name="Tenant">Tenant of the client the token was issued to.</param>
/// <param name="ClientId">Client the token was issued to.</param>
/// <param name="Bits">Leading zero bits asked for.</param>
/// <param name="ExpiresAt">Expiry (whole milliseconds).</param>
/// <param name="TokenId">Random id (base64url of 16 bytes) used for replay protection.</param>
public sealed record ChallengeClaims(string Tenant, string ClientId, int Bits, DateTimeOffset ExpiresAt, string TokenId);

/// <summary>Result of a check, with the token's claims once its signature held (null before).</summary>
/// <param name="Result">The outcome.</param>
/// <param name="Claims">The signed claims, or null when the token was malformed or forged.</param>
public readonly record struct ChallengeVerification(ChallengeResult Result, ChallengeClaims? Claims)
{
    /// <summary>Whether the proof was accepted.</summary>
    public bool IsValid => Result == ChallengeResult.Valid;
}
