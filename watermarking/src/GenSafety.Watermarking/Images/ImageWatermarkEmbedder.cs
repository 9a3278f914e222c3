using System.Buffers.Binary;
using System.Security.Cryptography;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// Marks images with the <c>image-qim</c> scheme: a per-image record id plus its keyed tag, QIM-embedded in
/// low-frequency DWT-DCT coefficients of luma computed at a normalised 256×256 resolution; the residual is scaled
/// back to the image's own size and added to R, G and B alike, and the image is re-encoded in its own format.
/// Thread-safe; one instance serves every tenant (keys carry the tenant).
/// </summary>
public sealed class ImageWatermarkEmbedder
{
    private readonly ImageWatermarkOptions _options;

    /// <summary>Creates the embedder; <paramref name="options"/> must be valid (see <see cref="ImageWatermarkOptionsValidator"/>).</summary>
    public ImageWatermarkEmbedder(ImageWatermarkOptions options)
    {
        OptionsGuard.ThrowIfInvalid(new ImageWatermarkOptionsValidator(), options, nameof(options));
        _options = options;
    }

    /// <summary>Marks an encoded PNG, JPEG or WebP image with a fresh random record id.</summary>
    /// <exception cref="InvalidImageException">The bytes are not a supported, whole image of an accepted size.</exception>
    public ImageWatermarkResult Embed(ReadOnlySpan<byte> encoded, WatermarkKey key)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return Embed(encoded, key, BinaryPrimitives.ReadUInt64BigEndian(random));
    }

    /// <summary>Marks an encoded PNG, JPEG or WebP image with <paramref name="recordId"/>.</summary>
    /// <exception cref="InvalidImageException">The bytes are not a supported, whole image of an accepted size.</exception>
    public ImageWatermarkResult Embed(ReadOnlySpan<byte> encoded, WatermarkKey key, ulong recordId)
    {
        // A wrong key is the caller's bug, not the client's image: refuse it before any decoding.
        _ = KeyedLayout.For(key);
        var (image, format) = ImageCodec.Decode(encoded, _options.MinSide, _options.MaxPixels);
        var marked = EmbedPixels(image, key, recordId);
        var quality = format switch
        {
            ImageFormat.Jpeg => _options.JpegQuality,
            ImageFormat.Webp => _options.WebpQuality,
            _ => 100,
        };
        var bytes = ImageCodec.Encode(marked, format, quality, fullChroma: true, pngLevel: _options.PngCompressionLevel);
        return new ImageWatermarkResult(bytes, format, recordId, key.Kid, image.Width, image.Height) { MarkedPixels = marked };
    }

    /// <summary>Marks decoded pixels (returns a new image; <paramref name="image"/> is not changed).</summary>
    public RgbaImage EmbedPixels(RgbaImage image, WatermarkKey key, ulong recordId)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width < _options.MinSide || image.Height < _options.MinSide)
        {
            throw new InvalidImageException(InvalidImageReason.UnsupportedSize, $"Images must be at least {_options.MinSide} pixels on each side; this one is {image.Width}×{image.Height}.");
        }

        var layout = KeyedLayout.For(key);
        var tag = PayloadCode.Tag(key.Material, recordId);
        var step = (float)_options.StepSize;
        var geometry = new NormalizedGeometry(image.Width, image.Height);

        var sites = new float[CoefficientSites.Count];
        CoefficientSites.Analyze(geometry.MeasureLuma(image.Pixels), sites);
        var targets = new float[CoefficientSites.Count];
        var applied = new float[CoefficientSites.Count];
        var deltas = new float[CoefficientSites.Count];
        for (var i = 0; i < sites.Length; i++)
        {
            targets[i] = Qim.Target(sites[i], step, layout.Dither[i], PayloadCode.Bit(recordId, tag, layout.SiteBit[i]));
            deltas[i] = targets[i] - sites[i];
            applied[i] = deltas[i];
        }

        var residual = new float[NormalizedGeometry.Size * NormalizedGeometry.Size];
        CoefficientSites.Synthesize(deltas, residual);
        var output = new RgbaImage(image.Width, image.Height, new byte[image.Pixels.Length]);
        var measured = new float[residual.Length];
        for (var round = 0; round < _options.CorrectionRounds; round++)
        {
            // Scaling back, rounding and clipping each move the coefficients a little off target; measure what the
            // detector will see and push the misses back (never beyond ±step in total, so clipped sites cannot grow
            // the residual without bound).
            geometry.AddResidual(image.Pixels, residual, output.Pixels, measured);
            CoefficientSites.Analyze(measured, sites);
            for (var i = 0; i < sites.Length; i++)
            {
                var total = Math.Clamp(applied[i] + targets[i] - sites[i], -step, step);
                deltas[i] = total - applied[i];
                applied[i] = total;
            }

            CoefficientSites.Synthesize(deltas, residual);
        }

        geometry.AddResidual(image.Pixels, residual, output.Pixels, measured: null);
        return output;
    }
}
