using System.Buffers.Binary;
using System.Collections;
using System.Security.Cryptography;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>
/// The keyed green list: token t is green when the t-th 16-bit word of the keystream HMAC-SHA256(key, "green" ‖ block)
/// is below γ·65536. Without the key the list is indistinguishable from random; under the null hypothesis each
/// distinct token is green independently with probability <see cref="Gamma"/> (rounded to 1/65536).
/// </summary>
public sealed class GreenList
{
    private const int TokensPerBlock = 16;

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
        Span<byte> input = stackalloc byte[9];
        "green"u8.CopyTo(input);
        Span<byte> block = stackalloc byte[32];
        for (var b = 0; b * TokensPerBlock < size; b++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input[5..], b);
            HMACSHA256.HashData(key.Material, input, block);
            for (var i = 0; i < TokensPerBlock && (b * TokensPerBlock) + i < size; i++)
            {
                _green[(b * TokensPerBlock) + i] = BinaryPrimitives.ReadUInt16BigEndian(block[(2 * i)..]) < threshold;
            }
        }
    }

    /// <summary>Key id the list was derived from.</summary>
    public string Kid { get; }

    /// <summary>Effective green fraction (γ rounded to a multiple of 1/65536).</summary>
    public double Gamma { get; }

    /// <summary>Whether <paramref name="token"/> is green (ids outside the vocabulary never are).</summary>
    public bool IsGreen(int token) => (uint)token < (uint)_green.Length && _green[token];
}
