using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// Builds each document's full feature row: <see cref="MembershipFeatures"/> of the text, then for each perturbation
/// ln-perplexity(perturbed) − ln-perplexity(original) (<c>ratio-{kind}</c>), then, with a reference model,
/// ln-perplexity(target) − ln-perplexity(reference) (<c>ratio-reference</c>, Carlini et al.'s calibration). One scorer
/// call per batch of documents carries the originals and all their perturbations.
/// </summary>
public sealed class DocumentFeatureExtractor
{
    private readonly IPromptScorer _target;
    private readonly IPromptScorer? _reference;
    private readonly IReadOnlyList<TextPerturbationKind> _perturbations;
    private readonly IReadOnlyDictionary<string, string[]>? _synonyms;
    private readonly ulong _seed;

    /// <summary>Creates an extractor; <paramref name="synonyms"/> is needed only for <see cref="TextPerturbationKind.Synonym"/>.</summary>
    public DocumentFeatureExtractor(
        IPromptScorer target, IReadOnlyList<TextPerturbationKind> perturbations, ulong seed, IPromptScorer? reference = null, IReadOnlyDictionary<string, string[]>? synonyms = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(perturbations);
        if (perturbations.Contains(TextPerturbationKind.Synonym) && synonyms is null)
        {
            throw new ArgumentException("The synonym perturbation needs a lexicon.", nameof(synonyms));
        }

        _target = target;
        _reference = reference;
        _perturbations = perturbations;
        _synonyms = synonyms;
        _seed = seed;
        FeatureNames =
        [
            .. MembershipFeatures.Names,
            .. perturbations.Select(p => "ratio-" + p.ToString().ToLowerInvariant()),
            .. reference is null ? Array.Empty<string>() : ["ratio-reference"],
        ];
    }

    /// <summary>The names of the feature rows' values, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Upstream texts scored per document (the original and each perturbation; the reference scores once more).</summary>
    public int CallsPerDocument => 1 + _perturbations.Count + (_reference is null ? 0 : 1);

    /// <summary>The feature rows of <paramref name="documents"/>.</summary>
    public async Task<IReadOnlyList<double[]>> ExtractAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var texts = new List<string>(documents.Count * (1 + _perturbations.Count));
        for (var d = 0; d < documents.Count; d++)
        {
            texts.Add(documents[d]);
            for (var p = 0; p < _perturbations.Count; p++)
            {
                // The seed depends on the document's text, not its position: a document gets the same perturbations in any set.
                var seed = DeterministicRandom.Derive((long)_seed, (long)(StableHash.Of(documents[d]) ^ (ulong)p));
                texts.Add(TextPerturbation.Apply(documents[d], _perturbations[p], seed, _synonyms));
            }
        }

        var scored = await _target.ScoreAsync(texts, cancellationToken).ConfigureAwait(false);
        var reference = _reference is null ? null : await _reference.ScoreAsync(documents, cancellationToken).ConfigureAwait(false);
        var stride = 1 + _perturbations.Count;
        var rows = new List<double[]>(documents.Count);
        for (var d = 0; d < documents.Count; d++)
        {
            var original = scored[d * stride];
            var loss = Loss(original);
            var row = new List<double>(FeatureNames.Count);
            row.AddRange(MembershipFeatures.Compute(documents[d], original));
            for (var p = 0; p < _perturbations.Count; p++)
            {
                row.Add(Loss(scored[(d * stride) + 1 + p]) - loss);
            }

            if (reference is not null)
            {
                row.Add(loss - Loss(reference[d]));
            }

            rows.Add([.. row]);
        }

        return rows;
    }

    private static double Loss(IReadOnlyList<ScoredToken> tokens)
        => tokens.Count == 0 ? double.NaN : -tokens.Average(t => Math.Max(t.Logprob, MembershipFeatures.LogprobFloor));
}
