using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.Watermarking.Tests.Images;

public sealed class PayloadCodeTests
{
    private const ulong Id = 0xDEADBEEF01234567UL;

    private readonly WatermarkKey _key = TestKeys.Ring().Current("acme", KeyPurpose.Image);

    private byte[] Material => _key.Material.ToArray();

    /// <summary>Clean id-bit scores (±Repetitions) with <paramref name="wrong"/> bits read weakly the wrong way.</summary>
    private static float[] Scores(ulong id, int[] wrong)
    {
        var scores = new float[PayloadCode.IdBits];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = PayloadCode.Bit(id, 0, i) == 0 ? PayloadCode.Repetitions : -PayloadCode.Repetitions;
        }

        foreach (var i in wrong)
        {
            scores[i] = -0.05f * scores[i];
        }

        return scores;
    }

    private int[] TagOnes(ulong id)
    {
        var tag = PayloadCode.Tag(Material, id);
        return Enumerable.Range(0, PayloadCode.TagBits).Select(j => PayloadCode.Bit(id, tag, PayloadCode.IdBits + j) * PayloadCode.Repetitions).ToArray();
    }

    [Fact]
    public void Decode_WeakWrongBitsWithinTheList_RecoversTheId()
    {
        var (id, agreement, candidates) = PayloadCode.Decode(Material, Scores(Id, [3, 17, 40, 41, 63]), TagOnes(Id), listBits: 8);

        Assert.Equal(Id, id);
        Assert.Equal(PayloadCode.TagSites, agreement);
        Assert.Equal(256, candidates);
    }

    [Fact]
    public void Decode_WithoutList_OneWrongBitLosesTheTag()
    {
        var (id, agreement, _) = PayloadCode.Decode(Material, Scores(Id, [9]), TagOnes(Id), listBits: 0);

        Assert.Equal(1, PayloadCode.Distance(Id, id));
        // Another id's tag is an unrelated 32-bit value: it matches about half the tag sites.
        Assert.InRange(agreement, PayloadCode.TagSites / 4, 3 * PayloadCode.TagSites / 4);
    }

    [Fact]
    public void Decode_MoreWrongBitsThanTheList_DoesNotInventAMatch()
    {
        var (id, agreement, _) = PayloadCode.Decode(Material, Scores(Id, [0, 1, 2, 3]), TagOnes(Id), listBits: 2);

        Assert.NotEqual(Id, id);
        Assert.True(agreement < 3 * PayloadCode.TagSites / 4);
    }

    [Fact]
    public void Tag_DependsOnKeyAndId()
    {
        var other = TestKeys.Ring().Current("globex", KeyPurpose.Image).Material.ToArray();

        Assert.NotEqual(PayloadCode.Tag(Material, Id), PayloadCode.Tag(other, Id));
        Assert.NotEqual(PayloadCode.Tag(Material, Id), PayloadCode.Tag(Material, Id ^ 1));
        Assert.Equal(PayloadCode.Tag(Material, Id), PayloadCode.Tag(Material, Id));
    }

    [Fact]
    public void KeyedLayout_EveryBitHasItsShareOfSites_AndKeysDiffer()
    {
        var layout = KeyedLayout.For(_key);
        var other = KeyedLayout.For(TestKeys.Ring().Current("globex", KeyPurpose.Image));

        Assert.All(layout.SiteBit.CountBy(b => b), pair => Assert.Equal(PayloadCode.Repetitions, pair.Value));
        Assert.All(layout.Dither, d => Assert.InRange(d, 0f, 1f));
        Assert.NotEqual(layout.SiteBit, other.SiteBit);
        Assert.Same(layout, KeyedLayout.For(_key));
        Assert.InRange(layout.Dither.Average(), 0.45, 0.55);
    }
}
