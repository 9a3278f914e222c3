using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The ownership test shared by <c>POST /admin/ownership/test</c> and the <c>ownership-test</c> command: a suspect
/// model's outputs pooled into one sample and tested with both text schemes under a tenant's live and retired keys
/// (<c>TextVerifier.WatermarkTests</c>). A model distilled from marked outputs inherits their green-token excess and
/// synonym choices, so evidence adds up over the texts where one text alone would be too short.
/// </summary>
internal static class OwnershipTest
{
    /// <summary>Verdict when the pooled p-value is at or below the verification false-positive rate.</summary>
    public const string Owned = "evidence_of_ownership";

    /// <summary>Verdict otherwise.</summary>
    public const string NotOwned = "no_evidence";

    /// <summary>Runs the test; <paramref name="schemes"/> must be enabled.</summary>
    public static OwnershipResult Run(ProvenanceSchemes schemes, OwnershipRequest request)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(request);
        var evidence = new List<VerificationEvidence>();
        var pValue = TextVerifier.WatermarkTests(schemes, string.Join("\n\n", request.Texts), [request.Tenant], request.Model, evidence);
        return new OwnershipResult(pValue <= schemes.Options.VerifyFalsePositiveRate ? Owned : NotOwned, pValue, request.Texts.Count, evidence);
    }

    /// <summary>
    /// Writes <c>{object:"ownership_test", verdict, p_value, texts, probe?:{requests, failed}, evidence:[...]}</c>
    /// (<c>probe</c> when the texts were collected from an endpoint).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, OwnershipResult result, OwnershipProbeResult? probe = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteString("object", "ownership_test");
        writer.WriteString("verdict", result.Verdict);
        writer.WriteNumber("p_value", result.PValue);
        writer.WriteNumber("texts", result.Texts);
        if (probe is not null)
        {
            writer.WriteStartObject("probe");
            writer.WriteNumber("requests", probe.Requests);
            writer.WriteNumber("failed", probe.Failed);
            writer.WriteEndObject();
        }

        VerificationEndpoints.WriteEvidence(writer, result.Evidence);
        writer.WriteEndObject();
    }
}

/// <summary>An ownership test's answer.</summary>
/// <param name="Verdict"><see cref="OwnershipTest.Owned"/> or <see cref="OwnershipTest.NotOwned"/>.</param>
/// <param name="PValue">Pooled p-value, corrected over schemes and keys.</param>
/// <param name="Texts">Texts tested.</param>
/// <param name="Evidence">One entry per scheme.</param>
internal sealed record OwnershipResult(string Verdict, double PValue, int Texts, IReadOnlyList<VerificationEvidence> Evidence);
