using System.Text;
using System.Text.Json;
using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// The report as JSON (snake_case), the same from the API and the command line: verdict, explanation, p-value and
/// effect size, p-values by sample size, the linear model's feature weights, the controls, and the approximations
/// the features made.
/// </summary>
public static class DatasetInferenceReportJson
{
    /// <summary>The report as a JSON object.</summary>
    public static string Serialize(DatasetInferenceReport report, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("verdict", Verdict(report.Verdict));
            writer.WriteString("explanation", report.Explanation);
            writer.WriteNumber("p_value", report.Test.PValue);
            writer.WriteNumber("alpha", report.Alpha);
            writer.WriteNumber("effect_size", report.Test.EffectSize);
            writer.WriteNumber("t", report.Test.T);
            writer.WriteString("model", context.Model);
            writer.WriteStartObject("documents");
            writer.WriteNumber("suspect", context.SuspectDocuments);
            writer.WriteNumber("heldout", context.HeldoutDocuments);
            writer.WriteNumber("suspect_chunks", context.SuspectChunks);
            writer.WriteNumber("heldout_chunks", context.HeldoutChunks);
            writer.WriteNumber("suspect_tested", report.Test.SuspectTested);
            writer.WriteNumber("heldout_tested", report.Test.HeldoutTested);
            writer.WriteEndObject();
            writer.WriteStartArray("p_values_by_sample_size");
            foreach (var point in report.Test.PValuesBySampleSize)
            {
                writer.WriteStartObject();
                writer.WriteNumber("n", point.N);
                writer.WriteNumber("p_value", point.PValue);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("feature_weights");
            foreach (var weight in report.Test.Weights)
            {
                writer.WriteStartObject();
                writer.WriteString("feature", weight.Feature);
                writer.WriteNumber("weight", weight.Weight);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("controls");
            writer.WriteStartObject("heldout_vs_heldout");
            if (report.HeldoutSelfTest is { } self)
            {
                writer.WriteNumber("p_value", self.PValue);
                writer.WriteBoolean("significant", self.PValue < report.Alpha);
            }
            else
            {
                writer.WriteString("skipped", $"needs at least {2 * DatasetInferenceOptions.MinDocuments} held-out chunks");
            }

            writer.WriteEndObject();
            writer.WriteStartObject("bag_of_words");
            writer.WriteNumber("auroc", report.BagOfWords.Auroc);
            writer.WriteNumber("p_value", report.BagOfWords.PValue);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartArray("notes");
            if (report.Test.Weights.Any(w => w.Feature == MembershipFeatures.MinKPlusPlusTopK))
            {
                writer.WriteStringValue("min-k++-topk is approximate: the distribution's mean and spread come from the top-k logprobs only.");
            }

            if (!report.Test.Weights.Any(w => w.Feature == MembershipFeatures.MinKPlusPlusExact))
            {
                writer.WriteStringValue("exact Min-K%++ was not available: the upstream does not report the full next-token distribution.");
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The verdict's wire name.</summary>
    public static string Verdict(DatasetInferenceVerdict verdict) => verdict switch
    {
        DatasetInferenceVerdict.EvidenceOfUse => "evidence_of_use",
        DatasetInferenceVerdict.NoEvidence => "no_evidence",
        DatasetInferenceVerdict.Confounded => "confounded",
        _ => "invalid_control",
    };
}

/// <summary>What the report says about its input besides the analysis.</summary>
/// <param name="Model">The model scored.</param>
/// <param name="SuspectDocuments">Suspect documents.</param>
/// <param name="HeldoutDocuments">Held-out documents.</param>
/// <param name="SuspectChunks">Suspect chunks.</param>
/// <param name="HeldoutChunks">Held-out chunks.</param>
public sealed record ReportContext(string Model, int SuspectDocuments, int HeldoutDocuments, int SuspectChunks, int HeldoutChunks);
