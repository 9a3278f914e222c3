using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// Reads <c>image-qim</c> marks: normalises the image to 256×256 luma (so resized copies read the same), reads each
/// coefficient site's soft bit under the key, list-decodes the record id and tests the tag sites' agreement with an
/// exact binomial tail. Thread-safe.
/// </summary>
public sealed class ImageWatermarkDetector
{
    /// <summary>Scheme name reported in <see cref="WatermarkTestResult.Scheme"/>.</summary>
    public const string Name = "image-qim";

    private readonly ImageWatermarkOptions _options;

    /// <summary>Creates the detector; <paramref name="options"/> must be valid and match the embedder's step.</summary>
    public ImageWatermarkDetector(ImageWatermarkOptions options)
    {
        OptionsGuard.ThrowIfInvalid(new ImageWatermarkOptionsValidator(), options, nameof(options));
        _options = options;
    }

    /// <summary>Tests an encoded image under every key (live and retired), Bonferroni-corrected over keys.</summary>
    /// <exception cref="InvalidImageException">The bytes are not a supported, whole image of an accepted size.</exception>
    public ImageWatermarkDetection Detect(ReadOnlySpan<byte> encoded, IReadOnlyList<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Detect(ImageCodec.Decode(encoded, _options.MinSide, _options.MaxPixels).Image, keys);
    }

    /// <summary>Tests decoded pixels under every key, Bonferroni-corrected over keys.</summary>
    public ImageWatermarkDetection Detect(RgbaImage image, IReadOnlyList<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var sites = ReadSites(image);
        var alpha = _options.TargetFalsePositiveRate;
        var tests = new WatermarkTestResult[keys.Count];
        var ids = new ulong[keys.Count];
        var best = 0;
        var candidates = 0;
        for (var k = 0; k < keys.Count; k++)
        {
            (tests[k], ids[k], candidates) = TestKey(sites, keys[k], alpha);
            if (tests[k].PValue < tests[best].PValue)
            {
                best = k;
            }
        }

        var combined = WatermarkTestResult.Bonferroni(tests, alpha);
        return new ImageWatermarkDetection(combined, combined.Detected ? ids[best] : null, candidates);
    }

    /// <summary>Hard decisions under one key without a verdict (see <see cref="ImageWatermarkReading"/>).</summary>
    public ImageWatermarkReading Read(RgbaImage image, WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(image);
        var layout = KeyedLayout.For(key);
        var sites = ReadSites(image);
        var gain = Gains(sites, layout)[0];
        var (idScores, tagOnes) = Combine(sites, layout, gain * (float)_options.StepSize, out var magnitude);
        var (id, _, _) = PayloadCode.Decode(key.Material, idScores, tagOnes, listBits: 0);
        var agreement = PayloadCode.Agreement(PayloadCode.Tag(key.Material, id), tagOnes);
        return new ImageWatermarkReading(id, agreement / (double)PayloadCode.TagSites, magnitude);
    }

    private (WatermarkTestResult Test, ulong RecordId, int Candidates) TestKey(float[] sites, WatermarkKey key, double alpha)
    {
        var layout = KeyedLayout.For(key);
        var (bestId, bestAgreement, perGain) = (0UL, -1, 0);
        foreach (var gain in Gains(sites, layout))
        {
            var (idScores, tagOnes) = Combine(sites, layout, gain * (float)_options.StepSize, out _);
            var (id, agreement, candidates) = PayloadCode.Decode(key.Material, idScores, tagOnes, _options.ListDecodingBits);
            if (agreement > bestAgreement)
            {
                (bestId, bestAgreement, perGain) = (id, agreement, candidates);
            }
        }

        // Every gain that may be tried counts, found or not, so the factor does not depend on the image.
        var tries = perGain * GainSearch.Tries(_options.MinGain, _options.MaxGain, _options.GainSearchStep, _options.GainCandidates);
        var test = WatermarkTestResult.Binomial(Name, key.Kid, PayloadCode.TagSites, bestAgreement, 0.5, alpha);
        return (test with { PValue = Math.Min(1, test.PValue * tries) }, bestId, tries);
    }

    private float[] Gains(float[] sites, KeyedLayout layout) => GainSearch.BestGains(
        sites, layout, (float)_options.StepSize, _options.MinGain, _options.MaxGain, _options.GainSearchStep, _options.GainCandidates);

    private float[] ReadSites(RgbaImage image)
    {
        if (image.Width < _options.MinSide || image.Height < _options.MinSide)
        {
            throw new InvalidImageException(InvalidImageReason.UnsupportedSize, $"Images must be at least {_options.MinSide} pixels on each side; this one is {image.Width}×{image.Height}.");
        }

        var sites = new float[CoefficientSites.Count];
        CoefficientSites.Analyze(new NormalizedGeometry(image.Width, image.Height).MeasureLuma(image.Pixels), sites);
        return sites;
    }

    private static (float[] IdScores, int[] TagOnes) Combine(float[] sites, KeyedLayout layout, float step, out double meanMagnitude)
    {
        var scores = new float[PayloadCode.MessageBits];
        var tagOnes = new int[PayloadCode.TagBits];
        var soft = new float[sites.Length];
        for (var i = 0; i < sites.Length; i++)
        {
            soft[i] = Qim.Soft(sites[i], step, layout.Dither[i]);
            var bit = layout.SiteBit[i];
            scores[bit] += soft[i];
            if (bit >= PayloadCode.IdBits && soft[i] < 0)
            {
                tagOnes[bit - PayloadCode.IdBits]++;
            }
        }

        var magnitude = 0.0;
        for (var i = 0; i < sites.Length; i++)
        {
            magnitude += Math.Sign(scores[layout.SiteBit[i]]) * soft[i];
        }

        meanMagnitude = magnitude / sites.Length;
        return (scores[..PayloadCode.IdBits], tagOnes);
    }
}
