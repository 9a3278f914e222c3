using System.Net;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The per-tenant embedding rotation end to end against the reference model's MiniLM: a rotated tenant keeps every
/// cosine similarity among its vectors (float and base64 answers agree), while its vectors no longer line up with
/// the model's own or another tenant's; a tenant without rotation gets the model's vectors.
/// </summary>
public sealed class EmbeddingRotationTests
{
    private static readonly string[] Inputs = ["The volcano erupted after centuries of silence.", "Lava flows reshaped the island's coast.", "Tax deductions for home offices changed this year."];

    [Fact]
    public async Task RotatedTenant_KeepsItsCosines_ButNotTheModelsFrame()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(null, null, "--GenSafety:Detection:Enabled=false",
            "--GenSafety:Watermarking:TenantRotateEmbeddings:acme=true", "--GenSafety:Watermarking:TenantRotateEmbeddings:globex=true"));
        using var acme = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("acme-app", "acme"));
        using var globex = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("globex-app", "globex"));
        using var plain = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("plain-app"));
        using var direct = new HttpClient { BaseAddress = new Uri(model.Url) };

        var clean = await EmbedAsync(direct, "float");
        var unrotated = await EmbedAsync(plain, "float");
        var rotated = await EmbedAsync(acme, "float");
        var rotatedBase64 = await EmbedAsync(acme, "base64");
        var other = await EmbedAsync(globex, "float");

        for (var i = 0; i < Inputs.Length; i++)
        {
            Assert.Equal(clean[i], unrotated[i]);
            Assert.Equal(TensorPrimitives.Norm(clean[i]), TensorPrimitives.Norm(rotated[i]), 3);
            Assert.InRange(TensorPrimitives.CosineSimilarity(clean[i], rotated[i]), -0.3f, 0.3f);
            Assert.InRange(TensorPrimitives.CosineSimilarity(rotated[i], other[i]), -0.3f, 0.3f);
            for (var k = 0; k < clean[i].Length; k++)
            {
                Assert.Equal(rotated[i][k], rotatedBase64[i][k], 5);
            }

            for (var j = i + 1; j < Inputs.Length; j++)
            {
                Assert.Equal(TensorPrimitives.CosineSimilarity(clean[i], clean[j]), TensorPrimitives.CosineSimilarity(rotated[i], rotated[j]), 4);
            }
        }
    }

    [Fact]
    public async Task UnreadableEmbeddings_AreWithheld_NotPassedOnUnrotated()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":"not base64!"}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}""");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(null, null, "--GenSafety:Detection:Enabled=false", "--GenSafety:Watermarking:RotateEmbeddings=true"));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        using var response = await client.PostAsJsonAsync("/v1/embeddings", new { model = "m", input = "x" });

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadGateway, "upstream_invalid_response");
    }

    private static async Task<float[][]> EmbedAsync(HttpClient client, string format)
    {
        using var response = await client.PostAsJsonAsync("/v1/embeddings", new { model = "reference-minilm", input = Inputs, encoding_format = format });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("embedding") is { ValueKind: JsonValueKind.String } s
            ? Floats(Convert.FromBase64String(s.GetString()!))
            : d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())];
    }

    private static float[] Floats(byte[] bytes)
        => [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4))];
}
