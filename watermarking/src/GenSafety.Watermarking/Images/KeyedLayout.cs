using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// The key's secret part of the scheme: which message bit each coefficient site carries (a keyed permutation, each
/// bit on <see cref="PayloadCode.Repetitions"/> sites scattered over the image) and each site's QIM dither. With the
/// dither uniform and independent per site, the bit a site reads on an image this key did not mark is a fair coin,
/// whatever the image: that is what makes the detector's binomial p-value exact.
/// </summary>
internal sealed class KeyedLayout
{
    private static readonly ConditionalWeakTable<WatermarkKey, KeyedLayout> Cache = new();
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("gensafety.image.layout.v1");

    private KeyedLayout(int[] siteBit, float[] dither)
    {
        SiteBit = siteBit;
        Dither = dither;
        IdSites = Enumerable.Range(0, siteBit.Length).Where(i => siteBit[i] < PayloadCode.IdBits).ToArray();
    }

    /// <summary>Message bit carried by each site.</summary>
    public int[] SiteBit { get; }

    /// <summary>Indices of the sites that carry record-id bits (the rest carry the tag).</summary>
    public int[] IdSites { get; }

    /// <summary>Dither of each site as a fraction of the step, in [0, 1).</summary>
    public float[] Dither { get; }

    /// <summary>The layout of <paramref name="key"/> (built once per key); refuses keys derived for another purpose.</summary>
    public static KeyedLayout For(WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Purpose != KeyPurpose.Image)
        {
            throw new ArgumentException($"The image scheme needs a key derived for {KeyPurpose.Image}, not {key.Purpose}.", nameof(key));
        }

        return Cache.GetValue(key, static k => Build(k.Material));
    }

    private static KeyedLayout Build(ReadOnlySpan<byte> material)
    {
        const int Count = CoefficientSites.Count;
        var stream = new byte[Count * 8];
        var input = new byte[Label.Length + 4];
        Label.CopyTo(input, 0);
        for (var block = 0; block * 32 < stream.Length; block++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(Label.Length), block);
            HMACSHA256.HashData(material, input, stream.AsSpan(block * 32, Math.Min(32, stream.Length - (block * 32))));
        }

        var siteBit = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            siteBit[i] = i % PayloadCode.MessageBits;
        }

        // Fisher–Yates from the keystream; the modulo bias of a 32-bit draw over ≤ 3072 slots is below 10⁻⁶.
        for (var i = Count - 1; i > 0; i--)
        {
            var j = (int)(BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(i * 4)) % (uint)(i + 1));
            (siteBit[i], siteBit[j]) = (siteBit[j], siteBit[i]);
        }

        var dither = new float[Count];
        for (var i = 0; i < Count; i++)
        {
            dither[i] = (BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan((Count + i) * 4)) >> 8) / (float)(1 << 24);
        }

        return new KeyedLayout(siteBit, dither);
    }
}
