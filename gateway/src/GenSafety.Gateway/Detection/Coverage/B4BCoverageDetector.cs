using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using GenSafety.Detectors.Coverage;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Coverage;

/// <summary>
/// <c>b4b-coverage</c> (Dubiński et al., NeurIPS 2023): how much of the embedding space a client's vectors cover,
/// with the library's <see cref="B4BCoverage"/> (20 seeded projections × 12 sign bits). Two bitmaps of
/// <see cref="B4BCoverage.StateSize"/> bytes in one OR-merged state: the embeddings the upstream returned on the
/// embeddings route, and the prompt vectors of chat, completions and image requests (topic coverage). The
/// returned-embedding coverage is written to the enforcement state, where it sets the σ of the L2 embedding noise;
/// both feed the score (<see cref="B4BCoverageOptions"/>).
/// </summary>
public sealed class B4BCoverageDetector : IQueryDetector
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = "b4b-coverage";

    /// <summary>Bytes of the state: the returned-embedding bitmaps, then the prompt bitmaps.</summary>
    public const int StateSize = 2 * B4BCoverage.StateSize;

    private const int BucketsPerState = B4BCoverage.StateSize * 8;

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
    public bool NeedsPromptVector(QueryEvent queryEvent)
        => queryEvent?.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.ImagesGenerations;

    /// <inheritdoc />
    public DetectorResult Detect(DetectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = new byte[StateSize];
        input.State.Span[..Math.Min(input.State.Length, StateSize)].CopyTo(state);
        var returned = new List<float[]>();
        var prompts = new List<float[]>();
        for (var i = 0; i < input.Events.Count; i++)
        {
            if (input.Events[i].RouteKind == RouteKinds.Embeddings)
            {
                returned.AddRange(input.Events[i].ReturnedEmbeddings);
            }
            else if (i < input.PromptVectors.Count && input.PromptVectors[i] is { } vector)
            {
                prompts.Add(vector);
            }
        }

        Observe(state.AsSpan(0, B4BCoverage.StateSize), returned);
        Observe(state.AsSpan(B4BCoverage.StateSize), prompts);
        var embedding = Coverage(state.AsSpan(0, B4BCoverage.StateSize));
        var topic = Coverage(state.AsSpan(B4BCoverage.StateSize));
        var score = Math.Max(
            Ramp(embedding, _options.EmbeddingFreeCoverage, _options.EmbeddingSaturatingCoverage),
            Ramp(topic, _options.PromptFreeCoverage, _options.PromptSaturatingCoverage));
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"B4B coverage: returned embeddings {embedding * 100:0.##}% of buckets, prompt topics {topic * 100:0.##}%");
        return new DetectorResult(score, reason, returned.Count + prompts.Count > 0 ? state : null)
        {
            EmbeddingCoverage = returned.Count > 0 ? embedding : null,
        };
    }

    // Records the vectors' buckets in the bitmaps (one B4BCoverage per vector length met), OR-ed back into region.
    private void Observe(Span<byte> region, List<float[]> vectors)
    {
        foreach (var group in vectors.Where(v => v.Length > 0 && v.AsSpan().ContainsAnyExcept(0f)).GroupBy(v => v.Length))
        {
            var coverage = new B4BCoverage(_projections.GetOrAdd(group.Key, static (d, seed) => new B4BProjection(d, seed), _options.Seed), region);
            foreach (var vector in group)
            {
                coverage.Observe(vector);
            }

            coverage.State.CopyTo(region);
        }
    }

    private static double Coverage(ReadOnlySpan<byte> region)
    {
        var hit = 0;
        foreach (var b in region)
        {
            hit += BitOperations.PopCount(b);
        }

        return (double)hit / BucketsPerState;
    }

    private static double Ramp(double coverage, double free, double saturating) => Math.Clamp((coverage - free) / (saturating - free), 0, 1);
}
