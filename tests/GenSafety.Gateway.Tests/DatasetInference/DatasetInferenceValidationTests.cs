using GenSafety.Detectors.DatasetInference;
using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.DatasetInference;

/// <summary>
/// The reduced validation CI runs (the full one: <c>GenSafety.Gateway dataset-inference validate</c>, numbers in
/// docs/dataset-inference.md): on the reference model, members vs non-members is significant with 20 documents a
/// side, non-member splits stay at α, LOSS separates members, and members vs off-distribution text is confounded.
/// </summary>
public sealed class DatasetInferenceValidationTests
{
    [Fact]
    public async Task ReducedValidation_OnTheReferenceModel_HoldsItsTargets()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        var settings = new DatasetInferenceServiceOptions { RequestsPerSecond = 1000, BatchSize = 32 };
        using var budget = new UpstreamRequestBudget(Options.Create(settings));
        using var http = new HttpClient();
        var scorer = new UpstreamPromptScorer(http, new Uri(model.Url + "/"), "reference-ngram", null, 5, true, settings.BatchSize, budget);
        var extractor = new DocumentFeatureExtractor(scorer, settings.Perturbations, seed: 1);
        var members = ReferenceDocuments.Members.Zip(ReferenceDocuments.MemberDuplicates).Take(48).ToList();
        var validation = new ValidationSettings { SampleSizes = [20], Splits = 100, SplitDocuments = 20, OffDistributionDocuments = 24 };

        var result = await DatasetInferenceValidation.RunAsync(members, [.. ReferenceDocuments.NonMembers.Take(48)], extractor, validation, CancellationToken.None);

        var (n, report) = Assert.Single(result.Power);
        Assert.Equal(20, n);
        Assert.Equal(DatasetInferenceVerdict.EvidenceOfUse, report.Verdict);
        Assert.True(report.Test.PValue < 0.01, result.ToMarkdown());

        // 100 correlated splits: at α = 0.05 the expected count is 5; more than 12 would mean the test is not calibrated.
        Assert.Equal(100, result.NullPValues.Count);
        Assert.True(result.FalsePositiveRate(0.05) <= 0.12, result.ToMarkdown());
        Assert.True(result.FalsePositiveRate(0.01) <= 0.05, result.ToMarkdown());

        Assert.True(result.Aurocs.Single(a => a.Feature == MembershipFeatures.Loss && a.MinDuplicates == 1 && a.MaxDuplicates == 10).Auroc > 0.9, result.ToMarkdown());
        Assert.Contains(result.Aurocs, a => a.Feature == MembershipFeatures.MinKPlusPlusExact);
        Assert.Contains(result.Aurocs, a => a.Feature == MembershipFeatures.MinKPlusPlusTopK);
        Assert.Equal(DatasetInferenceVerdict.Confounded, result.Confounded.Verdict);
    }
}
