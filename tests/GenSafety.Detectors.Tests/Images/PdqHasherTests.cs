using GenSafety.Detectors.Images;
using SkiaSharp;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Images;

public sealed class PdqHasherTests(ITestOutputHelper output)
{
    private static int Distance(byte[] a, byte[] b) => PdqHasher.Hash(a).Hash.DistanceTo(PdqHasher.Hash(b).Hash);

    [Fact]
    public void Hash_IsBalancedAndHasHighQualityOnAPicture()
    {
        using var picture = TestImages.Picture(1);
        var result = PdqHasher.Hash(TestImages.Encode(picture));

        Assert.Equal(128, result.Hash.PopCount);
        Assert.True(result.Quality >= 50, result.Quality.ToString());
    }

    [Fact]
    public void HashRgba_DecodedPixels_SameAsHashOfTheEncodedImage()
    {
        using var picture = TestImages.Picture(3);
        using var rgba = picture.Copy(SKColorType.Rgba8888);
        var encoded = TestImages.Encode(picture);

        var fromPixels = PdqHasher.HashRgba(rgba.GetPixelSpan(), rgba.Width, rgba.Height);

        Assert.Equal(PdqHasher.Hash(encoded), fromPixels);
        Assert.Throws<ArgumentException>(() => PdqHasher.HashRgba(new byte[10], 2, 2));
    }

    [Fact]
    public void Hash_FlatImage_HasLowQuality()
    {
        var flat = Enumerable.Repeat(128f, 200 * 200).ToArray();
        Assert.True(PdqHasher.Hash(flat, 200, 200).Quality < 50);
    }

    [Fact]
    public void DistanceTable_EditsOfProtectedPictures()
    {
        var rows = new Dictionary<string, List<int>>();
        void Add(string edit, int distance) => (rows.TryGetValue(edit, out var l) ? l : rows[edit] = []).Add(distance);
        for (var seed = 0; seed < 12; seed++)
        {
            using var picture = TestImages.Picture(seed);
            var png = TestImages.Encode(picture);
            Add("JPEG q90", Distance(png, TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 90)));
            Add("JPEG q50", Distance(png, TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 50)));
            Add("JPEG q30", Distance(png, TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 30)));
            using (var small = TestImages.Resize(picture, 0.75))
            {
                Add("resize 75%", Distance(png, TestImages.Encode(small)));
            }

            using (var half = TestImages.Resize(picture, 0.5))
            {
                Add("resize 50% + JPEG q70", Distance(png, TestImages.Encode(half, SKEncodedImageFormat.Jpeg, 70)));
            }

            using (var mirrored = TestImages.MirrorHorizontal(picture))
            {
                var mirroredPng = TestImages.Encode(mirrored);
                Add("mirror, plain hash", Distance(png, mirroredPng));
                Add("mirror, dihedral hash", PdqHasher.HashDihedral(png)[(int)PdqDihedral.MirrorHorizontal].Hash.DistanceTo(PdqHasher.Hash(mirroredPng).Hash));
            }

            using (var cropped = TestImages.Crop(picture, 0.05))
            {
                Add("crop 5%", Distance(png, TestImages.Encode(cropped)));
            }

            using (var cropped = TestImages.Crop(picture, 0.2))
            {
                Add("crop 20%", Distance(png, TestImages.Encode(cropped)));
            }

            using var other = TestImages.Picture(1000 + seed);
            Add("unrelated picture", Distance(png, TestImages.Encode(other)));
        }

        output.WriteLine("| edit | mean | max | min |");
        output.WriteLine("| --- | --- | --- | --- |");
        foreach (var (edit, d) in rows)
        {
            output.WriteLine($"| {edit} | {d.Average():F1} | {d.Max()} | {d.Min()} |");
        }

        Assert.All(rows["JPEG q90"].Concat(rows["JPEG q50"]).Concat(rows["resize 75%"]).Concat(rows["mirror, dihedral hash"]), d => Assert.InRange(d, 0, 31));
        Assert.All(rows["unrelated picture"], d => Assert.InRange(d, 32, 256));
        Assert.True(rows["mirror, plain hash"].Average() > 64, "a plain PDQ hash does not survive mirroring; the dihedral variants are needed");
    }

    [Fact]
    public void HashDihedral_EachVariantMatchesTheHashOfTheTransformedPixels()
    {
        // 320 pixels: an odd box window (3) and sample points symmetric about the centre, so the DCT-domain symmetry
        // is exact up to float rounding; at 256 (window 2, off-centre samples) transformed pixels differ by up to ~40 bits.
        using var picture = TestImages.Picture(7, 320, 320);
        var luma = TestImages.Luma(picture);
        var variants = PdqHasher.HashDihedral(luma, 320, 320);
        for (var variant = 0; variant < 8; variant++)
        {
            var (transformed, w, h) = TestImages.Transform(luma, 320, 320, variant);
            var direct = PdqHasher.Hash(transformed, w, h);
            var distance = direct.Hash.DistanceTo(variants[variant].Hash);
            output.WriteLine($"{(PdqDihedral)variant}: {distance} bits from the hash of the transformed pixels; {direct.Hash.DistanceTo(variants[0].Hash)} from the original's");
            Assert.InRange(distance, 0, 4);
            if (variant != 0)
            {
                Assert.True(direct.Hash.DistanceTo(variants[0].Hash) > 31);
            }
        }
    }

    [Fact]
    public void Hash_NonSquareTransposed_StillMatchesItsVariant()
    {
        using var picture = TestImages.Picture(8, 300, 200);
        var luma = TestImages.Luma(picture);
        var (rotated, w, h) = TestImages.Transform(luma, 300, 200, (int)PdqDihedral.Rotate90);

        var distance = PdqHasher.HashDihedral(luma, 300, 200)[(int)PdqDihedral.Rotate90].Hash.DistanceTo(PdqHasher.Hash(rotated, w, h).Hash);

        Assert.InRange(distance, 0, 31);
    }

    [Fact]
    public void Hash_NotAnImage_IsAClearError()
    {
        Assert.Throws<InvalidDataException>(() => PdqHasher.Hash("not an image"u8));
        Assert.Throws<ArgumentException>(() => PdqHasher.Hash(new float[10], 4, 4));
    }

    [Fact]
    public void PdqHash_HexRoundTrips()
    {
        using var picture = TestImages.Picture(3);
        var hash = PdqHasher.Hash(TestImages.Encode(picture)).Hash;

        var hex = hash.ToString();

        Assert.Equal(64, hex.Length);
        Assert.Equal(hash, PdqHash.Parse(hex));
        Assert.Throws<FormatException>(() => PdqHash.Parse("zz"));
    }
}
