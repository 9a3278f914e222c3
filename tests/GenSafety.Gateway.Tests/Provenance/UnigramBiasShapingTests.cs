using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.Watermarking.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// <c>unigram-bias</c> request shaping against a scripted upstream that shows exactly what it received: the merge
/// rule (client entries kept and winning, the cap respected), a full cap adds nothing, bad entries are refused, and
/// tenants on other schemes are forwarded untouched.
/// </summary>
public sealed class UnigramBiasShapingTests : IAsyncLifetime
{
    private const string Tenant = "wm-unigram";
    private const string Completion = """{"id":"c1","object":"chat.completion","created":1,"model":"reference-ngram","choices":[{"index":0,"message":{"role":"assistant","content":"the quick answer is here"},"finish_reason":"stop"}]}""";

    private readonly List<string> _bodies = [];
    private ScriptedUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (_bodies)
            {
                _bodies.Add(body);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Completion);
        });
        _gateway = await GatewayHost.StartAsync(_upstream.Url, Args(null, null, $"--GenSafety:Watermarking:TenantSchemes:{Tenant}=unigram-bias",
            "--GenSafety:Watermarking:UnigramBias:ModelDeltas:low-entropy-model=4.5"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string Request(string bias, string model) => """{"model":""" + JsonSerializer.Serialize(model) + ""","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"logit_bias":{""" + bias + "}}";

    private (int Green, int Red, Func<int, bool> IsGreen) Tokens()
    {
        var schemes = _gateway.Services.GetRequiredService<ProvenanceSchemes>();
        var scheme = schemes.UnigramFor("reference-ngram");
        var green = scheme.GreenListFor(schemes.KeyRing!.Current(Tenant, KeyPurpose.UnigramBias));
        var ranked = scheme.Vocabulary.RankedTokens[..scheme.ScoredTokens].ToArray();
        return (ranked.First(green.IsGreen), ranked.First(t => !green.IsGreen(t)), green.IsGreen);
    }

    private async Task<(HttpResponseMessage Response, Dictionary<int, double> UpstreamBias)> SendAsync(string tenant, string bias, string model = "reference-ngram")
    {
        using var client = _gateway.PublicWithKey(await _gateway.CreateClientKeyAsync(tenant: tenant));
        var response = await client.PostAsync("/v1/chat/completions", Json(Request(bias, model)));
        Dictionary<int, double> upstream = [];
        lock (_bodies)
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(_bodies[^1]);
                upstream = json.RootElement.GetProperty("logit_bias").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetDouble());
            }
        }

        return (response, upstream);
    }

    [Fact]
    public async Task Shaping_ClientEntriesKeptAndWin_WatermarkFillsUpToCap()
    {
        var (green, red, isGreen) = Tokens();

        var (response, bias) = await SendAsync(Tenant, $"\"100257\":-100,\"{green}\":7,\"{red}\":3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(-100, bias[100257]);
        Assert.Equal(7, bias[green]);      // the client's value wins over +δ on a green token
        Assert.Equal(3, bias[red]);
        Assert.True(bias.Count <= 300, $"{bias.Count} entries");
        var watermark = bias.Where(e => e.Key is not (100257) && e.Key != green && e.Key != red).ToList();
        Assert.True(watermark.Count >= 200, $"{watermark.Count} watermark entries");
        Assert.All(watermark, e => Assert.True(e.Value == 2.0 && isGreen(e.Key), $"{e.Key}:{e.Value}"));
        Assert.NotEmpty(response.Headers.GetValues("x-gensafety-receipt").Single());
    }

    [Fact]
    public async Task Shaping_ModelWithItsOwnDelta_GetsIt_OtherModelsTheDefault()
    {
        var (green, _, _) = Tokens();

        var (listed, listedBias) = await SendAsync(Tenant, "\"100257\":-100", "low-entropy-model");
        var (other, otherBias) = await SendAsync(Tenant, "\"100257\":-100", "another-model");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(4.5, listedBias[green]);
        Assert.Equal(2.0, otherBias[green]);
        Assert.All(listedBias.Where(e => e.Key != 100257), e => Assert.Equal(4.5, e.Value));
    }

    [Fact]
    public async Task Shaping_ClientFillsCap_NothingAdded()
    {
        var full = string.Join(',', Enumerable.Range(50_000, 300).Select(t => $"\"{t}\":1"));

        var (response, bias) = await SendAsync(Tenant, full);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(300, bias.Count);
        Assert.All(bias, e => Assert.Equal(1, e.Value));
    }

    [Theory]
    [InlineData("\"abc\":1")]
    [InlineData("\"-5\":1")]
    [InlineData("\"5\":500")]
    [InlineData("\"5\":\"high\"")]
    [InlineData("\"99999999999\":1")]
    public async Task Shaping_UnreadableClientBias_400(string bias)
    {
        var (response, _) = await SendAsync(Tenant, bias);

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Shaping_LexicalTenant_LogitBiasForwardedUntouched()
    {
        var (response, bias) = await SendAsync("wm-lexical", "\"17\":5,\"100257\":-100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Dictionary<int, double> { [17] = 5, [100257] = -100 }, bias);
    }
}
