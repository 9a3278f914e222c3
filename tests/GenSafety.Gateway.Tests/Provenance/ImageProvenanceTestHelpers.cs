using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.Watermarking.Images;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>What the image provenance tests share: generation and verification calls, re-encoding.</summary>
internal static class ImageProvenanceTestHelpers
{
    /// <summary>Posts an image generation request and returns the response's images (decoded) and its receipts.</summary>
    public static async Task<(byte[][] Images, string[] Receipts, JsonElement Body)> GenerateAsync(HttpClient client, int n = 1, string size = "256x256")
    {
        using var response = await client.PostAsync("/v1/images/generations", ProvenanceTestHelpers.Json(
            $$"""{"model":"reference-diffusion","prompt":"a lighthouse at dusk","n":{{n}},"size":"{{size}}","response_format":"b64_json"}"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var receipts = response.Headers.TryGetValues("x-gensafety-receipt", out var values) ? values.Single().Split(", ") : [];
        var body = JsonDocument.Parse(text).RootElement.Clone();
        var images = body.GetProperty("data").EnumerateArray()
            .Select(d => d.TryGetProperty("b64_json", out var b64) ? Convert.FromBase64String(b64.GetString()!) : []).ToArray();
        return (images, receipts, body);
    }

    /// <summary>Posts to <c>/v1/verify/image</c> and returns the parsed answer (asserting 200).</summary>
    public static async Task<JsonElement> VerifyImageAsync(HttpClient client, byte[] image, string? receipt = null)
    {
        using var response = await client.PostAsJsonAsync("/v1/verify/image", new { image_b64 = Convert.ToBase64String(image), receipt });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The image re-encoded as JPEG at <paramref name="quality"/> with 4:2:0 chroma (what sharing sites do).</summary>
    public static byte[] Jpeg(byte[] image, int quality) => ImageCodec.Encode(ImageCodec.Decode(image, 1, long.MaxValue).Image, ImageFormat.Jpeg, quality, fullChroma: false);

    /// <summary>The <c>rid</c> claim of a receipt.</summary>
    public static string RecordId(string receipt)
        => JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(receipt.Split('.')[1])).RootElement.GetProperty("rid").GetString()!;

    public static bool HasEvidence(JsonElement verification, string method)
        => verification.GetProperty("evidence").EnumerateArray().Any(e => e.GetProperty("method").GetString() == method);

    /// <summary>Whether the evidence entry of <paramref name="method"/> is positive (score ≥ threshold).</summary>
    public static bool Positive(JsonElement verification, string method)
    {
        var e = ProvenanceTestHelpers.Evidence(verification, method);
        return e.GetProperty("score").GetDouble() >= e.GetProperty("threshold").GetDouble();
    }
}
