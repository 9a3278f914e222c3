using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.DetectionGatewayHelpers;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection.Learned;

/// <summary>The learned fusion in a running gateway: loading, /readyz and metrics, hot reload, refusal of bad files.</summary>
public sealed class LearnedScorerThroughGatewayTests : IDisposable
{
    private const string Completion = """{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
    private readonly string _directory = Directory.CreateTempSubdirectory("learned-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] LearnedArgs(string path) =>
    [
        "--GenSafety:Detection:Fusion=learned",
        $"--GenSafety:Detection:Learned:ModelPath={path}",
        "--GenSafety:Detection:Learned:ReloadInterval=00:00:00.100",
        "--GenSafety:Detection:Learned:Provider=cpu",
    ];

    private static async Task<JsonElement> ScorerAsync(GatewayHost gateway)
    {
        using var document = JsonDocument.Parse(await new HttpClient().GetStringAsync(gateway.AdminUrl + "/readyz"));
        return document.RootElement.GetProperty("detection").Clone();
    }

    private static async Task<JsonElement> WaitScorerAsync(GatewayHost gateway, Func<JsonElement, bool> condition)
    {
        var detection = await ScorerAsync(gateway);
        for (var i = 0; i < 100 && !condition(detection.GetProperty("learned_scorer")); i++)
        {
            await Task.Delay(100);
            detection = await ScorerAsync(gateway);
        }

        return detection.GetProperty("learned_scorer");
    }

    // Replaced at once, as a deployment swaps a mounted file: a half-written file is never read.
    private void Publish(string path, byte[] bytes)
    {
        var staging = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(staging, bytes);
        File.Move(staging, path, overwrite: true);
    }

    // Same-length replacement keeps the protobuf framing valid.
    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var index = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(from));
        Assert.True(index >= 0, $"'{from}' not in the model");
        var copy = bytes.ToArray();
        Encoding.UTF8.GetBytes(to).CopyTo(copy, index);
        return copy;
    }

    [Fact]
    public async Task Readyz_ShowsModel_ChangedFileReloaded_BadFilesRefusedAndPreviousKept()
    {
        var original = LearnedModelHost.ReadEmbedded();
        var path = Path.Combine(_directory, "scorer.onnx");
        Publish(path, original);
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, LearnedArgs(path));

        var detection = await ScorerAsync(gateway);
        var scorer = detection.GetProperty("learned_scorer");
        Assert.Equal("learned", detection.GetProperty("fusion").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), scorer.GetProperty("sha256").GetString());
        Assert.Equal((path, "CPU"), (scorer.GetProperty("source").GetString(), scorer.GetProperty("execution_provider").GetString()));
        var version = scorer.GetProperty("version").GetString()!;

        var next = (version[0] == '9' ? "8" : "9") + version[1..];
        var framing = "gensafety.version\u0012" + (char)version.Length;
        var renamed = Replace(original, framing + version, framing + next);
        Publish(path, renamed);
        scorer = await WaitScorerAsync(gateway, s => s.GetProperty("version").GetString() == next);
        Assert.Equal(next, scorer.GetProperty("version").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(renamed)), scorer.GetProperty("sha256").GetString());

        Publish(path, Encoding.UTF8.GetBytes("this is not an ONNX model"));
        scorer = await WaitScorerAsync(gateway, s => s.GetProperty("last_error").ValueKind == JsonValueKind.String);
        Assert.Contains("not a usable ONNX model", scorer.GetProperty("last_error").GetString());
        Assert.Equal(next, scorer.GetProperty("version").GetString());

        Publish(path, Replace(renamed, "score:api-surface", "score:api-surfacX"));
        scorer = await WaitScorerAsync(gateway, s => s.GetProperty("last_error").GetString()!.Contains("gensafety.features", StringComparison.Ordinal));
        Assert.Contains("gensafety.features", scorer.GetProperty("last_error").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(renamed)), scorer.GetProperty("sha256").GetString());

        var metrics = await new HttpClient().GetStringAsync(gateway.AdminUrl + "/metrics");
        Assert.Contains("gensafety_detection_learned_model", metrics);
        Assert.Contains($"version=\"{next}\"", metrics);
        Assert.Contains("outcome=\"refused\"", metrics);
    }

    [Fact]
    public async Task LearnedFusion_LogitBiasProber_RaisedByTheModel_ChatUserStaysL0()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url,
        [
            "--GenSafety:Detection:Fusion=learned",
            "--GenSafety:Enforcement:Risk:MinDelay=00:00:00.010",
            "--GenSafety:Enforcement:Risk:MaxDelay=00:00:00.020",
        ]);
        using var prober = gateway.PublicWithKey(await CreateClientAsync(gateway, "prober"));
        using var person = gateway.PublicWithKey(await CreateClientAsync(gateway, "person"));
        string[] questions = ["How do tides work?", "Why is the sky blue?", "What should I cook tonight?", "How far is the moon?"];

        for (var i = 0; i < 40; i++)
        {
            // Answered or, once the ladder acts on the prober, slowed or challenged: either way observed.
            (await prober.PostAsync("/v1/chat/completions", Json($$"""
                {"model":"m","max_tokens":1,"logprobs":true,"top_logprobs":5,"logit_bias":{"{{1000 + (i * 37)}}":100},"messages":[{"role":"user","content":"The capital of France is"}]}
                """))).Dispose();
            if (i % 4 == 0)
            {
                (await person.PostAsync("/v1/chat/completions", Json($$"""
                    {"model":"m","max_tokens":300,"temperature":0.8,"messages":[{"role":"user","content":"{{questions[i / 4 % questions.Length]}} (asked {{i}})"}]}
                    """))).EnsureSuccessStatusCode();
            }
        }

        var detail = await WaitAsync(gateway, "prober", d => Level(d) >= 1 && Reasons(d).Any(r => r.Source == "fusion"));
        var personDetail = await GetAsync(gateway, "/admin/clients/person");

        var fused = Reasons(detail).Single(r => r.Source == "fusion");
        Assert.StartsWith("learned model ", fused.Reason);
        Assert.True(Level(detail) >= 1, detail.ToString());
        Assert.Equal("L0", personDetail.GetProperty("enforcement").GetProperty("level").GetString());
    }

    private static IEnumerable<(string Source, string Reason)> Reasons(JsonElement detail)
        => detail.GetProperty("enforcement").GetProperty("reasons").EnumerateArray()
            .Select(r => (r.GetProperty("source").GetString()!, r.GetProperty("reason").GetString()!));

    [Fact]
    public async Task Start_IncompatibleModelFile_FailsWithTheReason()
    {
        var path = Path.Combine(_directory, "bad.onnx");
        Publish(path, Replace(LearnedModelHost.ReadEmbedded(), "gensafety.window", "gensafety.wind0w"));
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);

        var error = await Assert.ThrowsAsync<LearnedModelException>(() => GatewayHost.StartAsync(upstream.Url, LearnedArgs(path)));

        Assert.Contains("gensafety.window", error.Message);
    }

    [Fact]
    public void Build_BadLearnedOptions_EveryProblemReported()
    {
        string[] args =
        [
            $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Kestrel:Endpoints:Admin:Url=http://127.0.0.1:{FreePort.Next()}",
            "--GenSafety:Detection:Fusion=learned",
            $"--GenSafety:Detection:Learned:ModelPath={Path.Combine(_directory, "missing.onnx")}",
            "--GenSafety:Detection:Learned:ReloadInterval=00:00:00",
            "--GenSafety:Detection:Learned:MaxClients=0",
            "--Logging:LogLevel:Default=None",
        ];

        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(GatewayApp.CreateBuilder(args)));

        Assert.Contains(error.Failures, m => m.Contains("Learned:ModelPath", StringComparison.Ordinal) && m.Contains("not found", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("Learned:ReloadInterval", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("Learned:MaxClients", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, m => m.Contains("Fusion 'learned'", StringComparison.Ordinal));
    }
}
