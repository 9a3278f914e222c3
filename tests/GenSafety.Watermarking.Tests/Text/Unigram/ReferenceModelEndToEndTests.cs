using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.ReferenceModel;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Unigram;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Text.Unigram;

/// <summary>
/// The unigram-bias plan sent as <c>logit_bias</c> to the reference model (a real n-gram LM over cl100k tokens on a
/// loopback Kestrel port), and detection on what it returns.
/// </summary>
public sealed class ReferenceModelEndToEndTests(ReferenceModelServer server, ITestOutputHelper output) : IClassFixture<ReferenceModelServer>
{
    private const int Requests = 50;
    private const int MaxTokens = 200;
    private static readonly TokenVocabulary Vocabulary = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase);

    /// <summary>
    /// The reference model decodes with little entropy (an order-32 n-gram LM that often continues its training text),
    /// so δ = 2 shifts the green share too little for 200 tokens; δ = 4 is detected. Both are measured.
    /// </summary>
    [Theory]
    [InlineData(2.0, 0.0)]
    [InlineData(4.0, 0.8)]
    public async Task ReferenceModel_MarkedCompletionsDetected_UnmarkedNot(double delta, double minimumTpr)
    {
        // The reference model accepts at most 1024 logit_bias entries; the default cap of 300 fits.
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions { Delta = delta }, Vocabulary);
        var ring = TestKeys.Ring();
        var marked = new List<WatermarkTestResult>();
        var unmarked = new List<WatermarkTestResult>();
        for (var i = 0; i < Requests; i++)
        {
            var key = ring.Current("tenant-" + (i % 10), KeyPurpose.UnigramBias);
            var prompt = Prompts[i % Prompts.Length];
            marked.Add(scheme.Detect(await CompleteAsync(prompt, scheme.Plan(key, null).Entries, seed: i), key, 1e-3));
            unmarked.Add(scheme.Detect(await CompleteAsync(prompt, null, seed: i), key, 1e-3));
        }

        var tpr = marked.Count(r => r.Detected) / (double)Requests;
        output.WriteLine($"reference model, δ={delta}, {MaxTokens}-token completions at temperature 1: marked detected {tpr:P0} (z mean {marked.Average(r => r.Z):F2}, scored {marked.Average(r => r.Scored):F1}), unmarked detected {unmarked.Count(r => r.Detected)}/{Requests} (z mean {unmarked.Average(r => r.Z):F2}, scored {unmarked.Average(r => r.Scored):F1})");
        Assert.True(marked.Average(r => r.Z) > unmarked.Average(r => r.Z) + 1, "the bias shifts the green share");
        Assert.True(tpr >= minimumTpr, $"TPR {tpr:P0}");
        Assert.True(unmarked.Count(r => r.Detected) <= 1, "unmarked completions are not flagged");
    }

    private static readonly string[] Prompts =
    [
        "Notes on movement.", "Notes on describing things.", "Notes on acts and actions.", "Notes on people.",
        "Notes on feelings.", "Notes on food.", "Notes on the weather.", "Notes on animals.", "Notes on places.",
        "Notes on tools.",
    ];

    private async Task<string> CompleteAsync(string prompt, IReadOnlyDictionary<int, double>? logitBias, int seed)
    {
        var body = new JsonObject
        {
            ["model"] = "reference-ngram",
            ["prompt"] = prompt,
            ["max_tokens"] = MaxTokens,
            ["temperature"] = 1.0,
            ["seed"] = seed,
        };
        if (logitBias is not null)
        {
            var bias = new JsonObject();
            foreach (var (token, value) in logitBias)
            {
                bias[token.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value;
            }

            body["logit_bias"] = bias;
        }

        using var response = await server.Http.PostAsJsonAsync("/v1/completions", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("choices")[0].GetProperty("text").GetString()!;
    }
}

/// <summary>One reference model server (trained once, ~5 s) for the end-to-end tests.</summary>
public sealed class ReferenceModelServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = ReferenceModelApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
