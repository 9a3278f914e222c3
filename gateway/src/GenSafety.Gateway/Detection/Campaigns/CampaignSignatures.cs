using System.Globalization;
using System.Text;
using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Randomness;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// Reads the campaign signatures of one request (a pure function of the <see cref="QueryEvent"/>): a logit-bias probe
/// of a prompt (<c>logit_bias</c> with an entry of at least <see cref="CampaignOptions.ExtremeBias"/>, or at most
/// <see cref="CampaignOptions.ProbeMaxTokens"/> tokens asked for), a harvesting request on a long template, a
/// divergence-attack prompt; and (<see cref="Coverage"/>) a broad embeddings batch. Most requests have none.
/// </summary>
public static class CampaignSignatures
{
    /// <summary>Bits of a signature's settings bitmap (1 KiB in Redis).</summary>
    public const int SettingBits = 8192;

    // Characters of the normalised prompt opening that name a template.
    private const int TemplateOpening = 64;

    /// <summary>The request's signatures.</summary>
    public static IReadOnlyList<CampaignSignature> Of(QueryEvent queryEvent, CampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(queryEvent);
        ArgumentNullException.ThrowIfNull(options);
        if (queryEvent.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions))
        {
            return [];
        }

        List<CampaignSignature>? signatures = null;
        var parameters = queryEvent.Parameters;
        if (parameters.LogitBias.Count > 0
            && (parameters.MaxTokens is { } probe && probe <= options.ProbeMaxTokens || parameters.LogitBias.Any(b => Math.Abs(b.Bias) >= options.ExtremeBias)))
        {
            var settings = parameters.LogitBias.Select(b => Bit(((ulong)(uint)b.TokenId << 32) ^ (ulong)(long)Math.Round(b.Bias * 100))).Distinct().ToArray();
            (signatures ??= []).Add(new CampaignSignature(CampaignKinds.Sweep, queryEvent.PromptHash, settings));
        }

        var query = queryEvent.QueryText;
        if (query.Length >= options.HarvestMinPromptCharacters && parameters.MaxTokens >= options.HarvestMinMaxTokens
            && (parameters.Temperature ?? 1) >= options.HarvestMinTemperature)
        {
            (signatures ??= []).Add(new CampaignSignature(CampaignKinds.Harvest, StableHash.Of(Opening(query)), []));
        }

        var divergence = DivergencePromptDetector.Inspect(query);
        if (divergence.IsAttack)
        {
            int[] word = divergence.RepeatWord is { } w ? [Bit(StableHash.Of(w.ToLowerInvariant()))] : [];
            (signatures ??= []).Add(new CampaignSignature(CampaignKinds.Divergence, 0, word));
        }

        return signatures ?? (IReadOnlyList<CampaignSignature>)[];
    }

    /// <summary>
    /// The coverage signature of an embeddings request, or null: at least <see cref="CampaignOptions.CoverageMinBatch"/>
    /// returned vectors whose mean pairwise cosine (over the first 32) is below
    /// <see cref="CampaignOptions.CoverageMaxMeanCosine"/>; its settings are the vectors' buckets in the first projection
    /// of <paramref name="projection"/> (which must match their dimension).
    /// </summary>
    public static CampaignSignature? Coverage(QueryEvent queryEvent, CampaignOptions options, B4BProjection projection)
    {
        ArgumentNullException.ThrowIfNull(queryEvent);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(projection);
        var vectors = queryEvent.ReturnedEmbeddings;
        if (vectors.Count < options.CoverageMinBatch || vectors.Any(v => v.Length != projection.Dimensions) || MeanCosine(vectors, 32) >= options.CoverageMaxMeanCosine)
        {
            return null;
        }

        Span<int> buckets = stackalloc int[B4BProjection.ProjectionCount];
        var settings = new HashSet<int>();
        foreach (var vector in vectors)
        {
            projection.ComputeBuckets(vector, buckets);
            settings.Add(buckets[0]);
        }

        return new CampaignSignature(CampaignKinds.Coverage, 0, [.. settings]);
    }

    /// <summary>Mean cosine over the pairs of the first <paramref name="max"/> vectors (1 for fewer than two).</summary>
    public static double MeanCosine(IReadOnlyList<float[]> vectors, int max)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var count = Math.Min(max, vectors.Count);
        if (count < 2)
        {
            return 1;
        }

        var norms = new double[count];
        for (var i = 0; i < count; i++)
        {
            norms[i] = Math.Sqrt(Dot(vectors[i], vectors[i]));
        }

        double sum = 0;
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                sum += norms[i] > 0 && norms[j] > 0 ? Dot(vectors[i], vectors[j]) / (norms[i] * norms[j]) : 0;
            }
        }

        return sum / (count * (count - 1) / 2);
    }

    private static double Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>The prompt's first <c>64</c> characters, lower-cased with white space collapsed: what names its template.</summary>
    public static string Opening(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var opening = new StringBuilder(TemplateOpening);
        var space = false;
        foreach (var c in prompt.AsSpan().TrimStart())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                opening.Append(' ');
                space = false;
            }

            opening.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            if (opening.Length >= TemplateOpening)
            {
                break;
            }
        }

        return opening.ToString();
    }

    private static int Bit(ulong value) => (int)(StableHash.Mix(value) % SettingBits);
}
