using System.Buffers.Binary;
using System.Collections;
using System.Security.Cryptography;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>
/// The keyed green list: token t is green when the t-th 16-bit word of the AES-256-CTR keystream under the key
/// (counter blocks 0, 1, 2, … encrypted with AES-ECB) is below γ·65536. Without the key the list is
/// indistinguishable from random; under the null hypothesis each distinct token is green independently with
/// probability <see cref="Gamma"/> (rounded to 1/65536). One AES call covers the whole vocabulary (about 2 ms for
/// cl100k with the bit array, see docs/watermarking.md).
/// </summary>
public sealed class GreenList
{
    private const int TokensPerBlock = 8;

    private readonly BitArray _green;

    /// <summary>Computes the list of <paramref name="key"/> over a vocabulary of <paramref name="size"/> tokens.</summary>
    public GreenList(WatermarkKey key, int size, double gamma)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var threshold = (int)Math.Round(gamma * 65536);
        Gamma = threshold / 65536.0;
        Kid = key.Kid;
        _green = new BitArray(size);
        var blocks = (size + TokensPerBlock - 1) / TokensPerBlock;
        var counters = new byte[blocks * 16];
        for (var b = 0; b < blocks; b++)
        {
            BinaryPrimitives.WriteInt64BigEndian(counters.AsSpan((b * 16) + 8), b);
        }

        var keyBytes = key.Material.ToArray();
        using var aes = Aes.Create();
        aes.Key = keyBytes;
        CryptographicOperations.ZeroMemory(keyBytes);
        var keystream = aes.EncryptEcb(counters, PaddingMode.None);
        for (var t = 0; t < size; t++)
        {
            _green[t] = BinaryPrimitives.ReadUInt16BigEndian(keystream.AsSpan(2 * t)) < threshold;
        }

        CryptographicOperations.ZeroMemory(keystream);
    }

    /// <summary>Key id the list was derived from.</summary>
    public string Kid { get; }

    /// <summary>Effective green fraction (γ rounded to a multiple of 1/65536).</summary>
    public double Gamma { get; }

    /// <summary>Whether <paramref name="token"/> is green (ids outside the vocabulary never are).</summary>
    public bool IsGreen(int token) => (uint)token < (uint)_green.Length && _green[token];
}
