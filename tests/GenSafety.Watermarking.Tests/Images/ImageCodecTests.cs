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
        var encoded = ImageCodec.Encode(SyntheticImages.Generate(4, 256, 256), format, 90);
        foreach (var keep in new[] { 0.02, 0.1, 0.5, 0.9, 0.99 })
        {
            var truncated = encoded.AsSpan(0, (int)(encoded.Length * keep)).ToArray();

            var embed = Assert.Throws<InvalidImageException>(() => _embedder.Embed(truncated, _key));
            var detect = Assert.Throws<InvalidImageException>(() => _detector.Detect(truncated, [_key]));

            Assert.Contains(embed.Reason, new[] { InvalidImageReason.NotAnImage, InvalidImageReason.Corrupt });
            Assert.Equal(embed.Reason, detect.Reason);
        }
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
