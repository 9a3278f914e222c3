using GenSafety.Detectors.Images;
using SkiaSharp;

namespace GenSafety.Detectors.Tests.Images;

public sealed class ProtectedImageIndexTests
{
    private static ProtectedImageIndex Protect(int images)
    {
        var index = new ProtectedImageIndex(new ProtectedImageIndexOptions());
        for (var seed = 0; seed < images; seed++)
        {
            using var picture = TestImages.Picture(seed);
            index.AddImage($"img-{seed}", TestImages.Encode(picture));
        }

        return index;
    }

    [Fact]
    public void FindNearest_MirroredJpegCopy_MatchesItsProtectedImage()
    {
        var index = Protect(10);
        using var picture = TestImages.Picture(4);
        using var mirrored = TestImages.MirrorHorizontal(picture);

        var match = index.FindNearest(PdqHasher.Hash(TestImages.Encode(mirrored, SKEncodedImageFormat.Jpeg, 60)).Hash);

        Assert.NotNull(match);
        Assert.Equal("img-4", match.ImageId);
        Assert.Equal(PdqDihedral.MirrorHorizontal, match.Variant);
        Assert.True(match.IsNearDuplicate);
    }

    [Fact]
    public void FindNearest_UnrelatedPictures_AreNotNearDuplicates()
    {
        var index = Protect(10);
        for (var seed = 500; seed < 520; seed++)
        {
            using var picture = TestImages.Picture(seed);
            Assert.False(index.FindNearest(PdqHasher.Hash(TestImages.Encode(picture)).Hash)!.IsNearDuplicate);
        }
    }

    [Fact]
    public void AddImage_FlatOrBadInput_IsRefusedClearly()
    {
        var index = new ProtectedImageIndex(new ProtectedImageIndexOptions());
        using var flat = new SKBitmap(100, 100);
        flat.Erase(SKColors.Gray);

        var e = Assert.Throws<ArgumentException>(() => index.AddImage("flat", TestImages.Encode(flat)));
        Assert.Contains("quality", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => index.AddImage("junk", new byte[] { 1, 2, 3 }));
        Assert.Null(index.FindNearest(default));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void AreNearIdentical_SameImageAcrossSeeds_IsFlaggedAndDistinctImagesAreNot()
    {
        using var picture = TestImages.Picture(2);
        var same = new[]
        {
            PdqHasher.Hash(TestImages.Encode(picture)).Hash,
            PdqHasher.Hash(TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 80)).Hash,
            PdqHasher.Hash(TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 60)).Hash,
        };
        var distinct = Enumerable.Range(30, 3).Select(seed =>
        {
            using var p = TestImages.Picture(seed);
            return PdqHasher.Hash(TestImages.Encode(p)).Hash;
        }).ToArray();

        Assert.True(ProtectedImageIndex.AreNearIdentical(same, 31));
        Assert.False(ProtectedImageIndex.AreNearIdentical(distinct, 31));
        Assert.False(ProtectedImageIndex.AreNearIdentical(same[..1], 31));
    }
}
