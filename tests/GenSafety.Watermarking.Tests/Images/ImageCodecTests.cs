using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.Watermarking.Tests.Images;

public sealed class ImageCodecTests
{
    // A valid 1×1 GIF: a real image, in a format the scheme does not re-encode.
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private readonly ImageWatermarkEmbedder _embedder = new(new ImageWatermarkOptions());
    private readonly ImageWatermarkDetector _detector = new(new ImageWatermarkOptions());
    private readonly WatermarkKey _key = TestKeys.Ring().Current("acme", KeyPurpose.Image);

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.Webp)]
    public void Decode_EncodedImage_RoundTripsSizeAndFormat(ImageFormat format)
    {
        var image = SyntheticImages.Generate(3, 200, 150);

        var (decoded, decodedFormat) = ImageCodec.Decode(ImageCodec.Encode(image, format, 90), 128, 1_000_000);

        Assert.Equal(format, decodedFormat);
        Assert.Equal((200, 150), (decoded.Width, decoded.Height));
    }

    [Theory]
    [InlineData(1, 300, 200, 255, 0)]
    [InlineData(3, 300, 200, 0, 255)]
    [InlineData(6, 200, 300, 255, 0)]
    [InlineData(8, 200, 300, 0, 255)]
    public void Decode_JpegWithExifOrientation_ComesOutUpright(int orientation, int width, int height, int firstRed, int secondRed)
    {
        // Stored: left half red, right half blue. Rotated 90° clockwise for display (6), the left half is on top.
        var stored = new RgbaImage(300, 200, new byte[300 * 200 * 4]);
        for (var i = 0; i < 300 * 200; i++)
        {
            var left = i % 300 < 150;
            (stored.Pixels[4 * i], stored.Pixels[(4 * i) + 2], stored.Pixels[(4 * i) + 3]) = (left ? (byte)255 : (byte)0, left ? (byte)0 : (byte)255, 255);
        }

        var jpeg = ImageCodec.Encode(stored, ImageFormat.Jpeg, 95);
        byte[] exif = [0xFF, 0xE1, 0, 34, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0];
        var withExif = jpeg[..2].Concat(exif).Concat(jpeg[2..]).ToArray();

        var (image, _) = ImageCodec.Decode(withExif, 128, 1_000_000);

        Assert.Equal((width, height), (image.Width, image.Height));
        // On the 90° turns the halves are top and bottom; on 1 and 3 they are left and right.
        var (first, second) = orientation >= 5 ? (4 * ((10 * width) + (width / 2)), 4 * (((height - 10) * width) + (width / 2))) : (4 * ((height / 2 * width) + 10), 4 * ((height / 2 * width) + width - 10));
        Assert.InRange(image.Pixels[first], firstRed - 40, firstRed + 40);
        Assert.InRange(image.Pixels[second], secondRed - 40, secondRed + 40);
    }

    [Fact]
    public void Decode_Png_IsLossless()
    {
        var image = SyntheticImages.Generate(7, 160, 160);

        Assert.Equal(image.Pixels, ImageCodec.Decode(ImageCodec.Encode(image, ImageFormat.Png, 100), 128, 1_000_000).Image.Pixels);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.Webp)]
    public void EmbedAndDetect_TruncatedImage_ThrowInvalidImage(ImageFormat format)
    {
        // A noise image compresses poorly, so even the 99% cut removes pixel data, not just the trailer.
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(2, 256, 256), format, 90);
        foreach (var keep in new[] { 0.02, 0.1, 0.5, 0.9, 0.99 })
        {
            var truncated = encoded.AsSpan(0, (int)(encoded.Length * keep)).ToArray();

            var embed = Assert.Throws<InvalidImageException>(() => _embedder.Embed(truncated, _key));
            var detect = Assert.Throws<InvalidImageException>(() => _detector.Detect(truncated, [_key]));

            Assert.Contains(embed.Reason, new[] { InvalidImageReason.NotAnImage, InvalidImageReason.Corrupt });
            Assert.Equal(embed.Reason, detect.Reason);
        }
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    public void Embed_ReturnsTheMarkedPixels_ThePngIsExactlyThem(ImageFormat format)
    {
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(5, 200, 160), format, 95);

        var result = _embedder.Embed(encoded, _key, 42);

        Assert.NotNull(result.MarkedPixels);
        Assert.Equal((200, 160), (result.MarkedPixels.Width, result.MarkedPixels.Height));
        var delivered = ImageCodec.Decode(result.Image, 128, 1_000_000).Image;
        if (format == ImageFormat.Png)
        {
            Assert.Equal(result.MarkedPixels.Pixels, delivered.Pixels);
        }
        else
        {
            // The JPEG is the marked pixels after one q95 4:4:4 encode.
            Assert.InRange(ImageQuality.Psnr(result.MarkedPixels, delivered), 38, 60);
        }
    }

    [Fact]
    public void Decode_PngWithoutItsEndChunk_IsWhole()
    {
        // Only the 12-byte IEND trailer is missing: every pixel is there, so the image is accepted unchanged.
        var image = SyntheticImages.Generate(4, 256, 256);
        var encoded = ImageCodec.Encode(image, ImageFormat.Png, 100);

        Assert.Equal(image.Pixels, ImageCodec.Decode(encoded.AsSpan(0, encoded.Length - 12), 128, 1_000_000).Image.Pixels);
    }

    [Fact]
    public void Embed_CorruptedPixelData_ThrowsOrStaysAnImage()
    {
        // Bytes flipped inside the compressed data: either the decoder notices (InvalidImageException) or it decodes
        // some picture, which is then marked; nothing else may escape.
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(4, 256, 256), ImageFormat.Png, 100);
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            var corrupt = (byte[])encoded.Clone();
            for (var i = 0; i < 8; i++)
            {
                corrupt[random.Next(64, corrupt.Length)] ^= (byte)random.Next(1, 256);
            }

            try
            {
                Assert.NotEmpty(_embedder.Embed(corrupt, _key).Image);
            }
            catch (InvalidImageException e)
            {
                Assert.Equal(InvalidImageReason.Corrupt, e.Reason);
            }
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0 })]
    public void Embed_NotAnImage_ThrowsNotAnImage(byte[] bytes)
    {
        Assert.Equal(InvalidImageReason.NotAnImage, Assert.Throws<InvalidImageException>(() => _embedder.Embed(bytes, _key)).Reason);
        Assert.Equal(InvalidImageReason.NotAnImage, Assert.Throws<InvalidImageException>(() => _detector.Detect(bytes, [_key])).Reason);
    }

    [Fact]
    public void Embed_Gif_ThrowsUnsupportedFormat() =>
        Assert.Equal(InvalidImageReason.UnsupportedFormat, Assert.Throws<InvalidImageException>(() => _embedder.Embed(Gif, _key)).Reason);

    [Theory]
    [InlineData(100, 400)]
    [InlineData(400, 127)]
    public void Embed_TooSmall_ThrowsUnsupportedSize(int width, int height)
    {
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(0, width, height), ImageFormat.Png, 100);

        Assert.Equal(InvalidImageReason.UnsupportedSize, Assert.Throws<InvalidImageException>(() => _embedder.Embed(encoded, _key)).Reason);
    }

    [Fact]
    public void Embed_TooManyPixels_ThrowsUnsupportedSize()
    {
        var embedder = new ImageWatermarkEmbedder(new ImageWatermarkOptions { MaxPixels = 100_000 });
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(0, 400, 400), ImageFormat.Png, 100);

        Assert.Equal(InvalidImageReason.UnsupportedSize, Assert.Throws<InvalidImageException>(() => embedder.Embed(encoded, _key)).Reason);
    }
}
