using System.Numerics;
using System.Runtime.InteropServices;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Pure functions that say whether two clients are run by one operator (sybils splitting a campaign): shared prompt
/// templates (MinHash of the openings in the harvesting windows), overlapping B4B coverage bitmaps (Jaccard of set
/// bits) and synchronous timing (correlation of per-minute request counts). <see cref="Link"/> combines them into a
/// weighted score; <see cref="SybilClustering"/> groups clients over links at or above the threshold.
/// </summary>
public static class SybilLinking
{
    /// <summary>
    /// The share of both clients' long requests (at least <see cref="HarvestingOptions.MinTemplateCharacters"/>) whose
    /// opening shares a template with a request of the other client; 0 when neither has a long request. Both states
    /// must come from <paramref name="harvesting"/>.
    /// </summary>
    public static double TemplateSimilarity(HarvestingDetector harvesting, HarvestingState a, HarvestingState b)
    {
        ArgumentNullException.ThrowIfNull(harvesting);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return harvesting.TemplateOverlap(a, b);
    }

    /// <summary>
    /// |A ∩ B| / |A ∪ B| over the set bits of two equally long bitmaps (such as <see cref="Coverage.B4BCoverage.State"/>,
    /// a multiple of 8 bytes); 0 when both are empty.
    /// </summary>
    public static double CoverageJaccard(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length || a.Length % sizeof(ulong) != 0)
        {
            throw new ArgumentException("The bitmaps must be equally long, a multiple of 8 bytes.", nameof(b));
        }

        var wordsA = MemoryMarshal.Cast<byte, ulong>(a);
        var wordsB = MemoryMarshal.Cast<byte, ulong>(b);
        long both = 0, either = 0;
        for (var i = 0; i < wordsA.Length; i++)
        {
            both += BitOperations.PopCount(wordsA[i] & wordsB[i]);
            either += BitOperations.PopCount(wordsA[i] | wordsB[i]);
        }

        return either == 0 ? 0.0 : (double)both / either;
    }

    /// <summary>
    /// Pearson correlation of the two clients' requests per minute over the hour ending at the later of their latest
    /// minutes (<see cref="HarvestingState.MinuteSlots"/> minutes); 0 when either was active in fewer than
    /// <paramref name="minActiveMinutes"/> of them or its counts do not vary.
    /// </summary>
    public static double TimingCorrelation(HarvestingState a, HarvestingState b, int minActiveMinutes)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.LatestMinute is not { } lastA || b.LatestMinute is not { } lastB)
        {
            return 0.0;
        }

        var end = Math.Max(lastA, lastB);
        const int N = HarvestingState.MinuteSlots;
        double sumA = 0, sumB = 0, sumAA = 0, sumBB = 0, sumAB = 0;
        int activeA = 0, activeB = 0;
        for (var minute = end - N + 1; minute <= end; minute++)
        {
            double x = a.RequestsInMinute(minute), y = b.RequestsInMinute(minute);
            activeA += x > 0 ? 1 : 0;
            activeB += y > 0 ? 1 : 0;
            sumA += x;
            sumB += y;
            sumAA += x * x;
            sumBB += y * y;
            sumAB += x * y;
        }

        if (activeA < minActiveMinutes || activeB < minActiveMinutes)
        {
            return 0.0;
        }

        var covariance = sumAB - (sumA * sumB / N);
        var varianceA = sumAA - (sumA * sumA / N);
        var varianceB = sumBB - (sumB * sumB / N);
        return varianceA > 0 && varianceB > 0 ? Math.Clamp(covariance / Math.Sqrt(varianceA * varianceB), -1.0, 1.0) : 0.0;
    }

    /// <summary>
    /// The link between two clients: Σ wᵢ·cᵢ over template similarity, coverage Jaccard (when both
    /// <paramref name="coverageA"/> and <paramref name="coverageB"/> are given; missing evidence counts as 0) and timing
    /// correlation (negative counts as 0), clamped to [0, 1].
    /// </summary>
    public static LinkEvidence Link(
        HarvestingDetector harvesting, HarvestingState a, HarvestingState b, ReadOnlySpan<byte> coverageA, ReadOnlySpan<byte> coverageB, SybilLinkOptions options)
    {
        OptionsCheck.ThrowIfInvalid(new SybilLinkOptionsValidator(), options, SybilLinkOptions.SectionName);
        var template = TemplateSimilarity(harvesting, a, b);
        var timing = Math.Max(0.0, TimingCorrelation(a, b, options.MinActiveMinutes));
        var coverage = !coverageA.IsEmpty && !coverageB.IsEmpty ? CoverageJaccard(coverageA, coverageB) : double.NaN;
        var score = (options.TemplateWeight * template) + (options.TimingWeight * timing) + (double.IsNaN(coverage) ? 0.0 : options.CoverageWeight * coverage);
        return new LinkEvidence(template, coverage, timing, Math.Clamp(score, 0.0, 1.0));
    }
}
