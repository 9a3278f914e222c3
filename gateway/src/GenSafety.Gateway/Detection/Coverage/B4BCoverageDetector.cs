using System.Collections.Concurrent;
using System.Globalization;
using GenSafety.Detectors.Coverage;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Coverage;

/// <summary>
/// <c>b4b-coverage</c> (Dubiński et al., NeurIPS 2023): how much of the embedding space a client's vectors cover,
/// with the library's <see cref="B4BCoverage"/> (20 seeded projections × 12 sign bits). Two bitmaps of
/// <see cref="B4BCoverage.StateSize"/> bytes in one OR-merged state, counted on the server: the embeddings the
/// upstream returned on the embeddings route (region 0), and the prompt vectors of chat, completions and image
/// requests (region 1, topic coverage). The returned-embedding coverage is written to the enforcement state, where
/// it sets the σ of the L2 embedding noise; both feed the score (<see cref="B4BCoverageOptions"/>).
/// </summary>
public sealed class B4BCoverageDetector : IBitmapQueryDetector
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = "b4b-coverage";

    /// <summary>Bytes of the state: the returned-embedding bitmaps, then the prompt bitmaps.</summary>
    public const int StateSize = 2 * B4BCoverage.StateSize;

    private const int BucketsPerRegion = B4BCoverage.StateSize * 8;

    private readonly B4BCoverageOptions _options;
    private readonly ConcurrentDictionary<int, B4BProjection> _projections = new();

    /// <summary>Creates the detector.</summary>
    public B4BCoverageDetector(IOptions<B4BCoverageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public DetectorDescriptor Descriptor { get; } = new(true, DetectorStateMode.BitwiseOr, StateSize);

    /// <inheritdoc />
    public int RegionBytes => B4BCoverage.StateSize;

    /// <inheritdoc />
    public bool NeedsPromptVector(QueryEvent queryEvent)
        => queryEvent?.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.ImagesGenerations;

    /// <summary>The bits of this batch's buckets: returned embeddings in the first half, prompt vectors in the second (null when none).</summary>
    public DetectorResult Detect(DetectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (returned, prompts) = Vectors(input);
        if (returned.Count + prompts.Count == 0)
        {
            return new DetectorResult(0, string.Empty, null);
        }

        var bits = new byte[prompts.Count > 0 ? StateSize : B4BCoverage.StateSize];
        Observe(bits.AsSpan(0, B4BCoverage.StateSize), returned);
        if (prompts.Count > 0)
        {
            Observe(bits.AsSpan(B4BCoverage.StateSize), prompts);
        }

        return new DetectorResult(0, string.Empty, bits);
    }

    /// <inheritdoc />
    public DetectorResult Score(DetectorInput input, DetectorResult observed, IReadOnlyList<long> setBits)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(setBits);
        var embedding = (double)setBits[0] / BucketsPerRegion;
        var topic = (double)setBits[1] / BucketsPerRegion;
        var score = Math.Max(
            Ramp(embedding, _options.EmbeddingFreeCoverage, _options.EmbeddingSaturatingCoverage),
            Ramp(topic, _options.PromptFreeCoverage, _options.PromptSaturatingCoverage));
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"B4B coverage: returned embeddings {embedding * 100:0.##}% of buckets, prompt topics {topic * 100:0.##}%");
        return new DetectorResult(score, reason, observed?.State)
        {
            // Written (it sets the noise σ) only when this batch returned embeddings.
            EmbeddingCoverage = Vectors(input).Returned.Count > 0 ? embedding : null,
        };
    }

    private static (List<float[]> Returned, List<float[]> Prompts) Vectors(DetectorInput input)
    {
        var returned = new List<float[]>();
        var prompts = new List<float[]>(input.Events.Count);
        for (var i = 0; i < input.Events.Count; i++)
        {
            if (input.Events[i].RouteKind == RouteKinds.Embeddings)
            {
                returned.AddRange(input.Events[i].ReturnedEmbeddings.Where(Usable));
            }
            else if (i < input.PromptVectors.Count && input.PromptVectors[i] is { } vector && Usable(vector))
            {
                prompts.Add(vector);
            }
        }

        return (returned, prompts);
    }

    // An all-zero vector (an empty text) has no direction: every projection would put it in bucket 0.
    private static bool Usable(float[] vector) => vector.AsSpan().ContainsAnyExcept(0f);

    // Records the vectors' buckets (one B4BCoverage per vector length met) into region. A vector met twice sets the
    // same bits twice: the pipeline embeds equal texts of a batch once, so a repeated prompt is the same array and is
    // projected once.
    private void Observe(Span<byte> region, List<float[]> vectors)
    {
        var seen = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        foreach (var group in vectors.GroupBy(v => v.Length))
        {
            var coverage = new B4BCoverage(_projections.GetOrAdd(group.Key, static (d, seed) => new B4BProjection(d, seed), _options.Seed), region);
            foreach (var vector in group)
            {
                if (seen.Add(vector))
                {
                    coverage.Observe(vector);
                }
            }

            coverage.State.CopyTo(region);
        }
    }

    private static double Ramp(double coverage, double free, double saturating) => Math.Clamp((coverage - free) / (saturating - free), 0, 1);
}
