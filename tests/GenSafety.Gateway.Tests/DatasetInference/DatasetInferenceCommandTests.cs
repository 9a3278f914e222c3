using System.Text.Json;
using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.DatasetInference;

/// <summary>
/// The command line end to end: <c>dataset-inference run</c> reads JSONL files and scores them through the gateway
/// (a client key from an environment variable) in front of the reference model; bad arguments and files exit 2.
/// </summary>
public sealed class DatasetInferenceCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gs-di-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Run_ThroughTheGateway_ReportsEvidenceForMembers()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, ["--GenSafety:Detection:Enabled=false"]);
        var variable = "GS_TEST_DI_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, await gateway.CreateClientKeyAsync("cli"));
        var suspect = Write("suspect.jsonl", ReferenceDocuments.Members.Take(24).Select(t => JsonSerializer.Serialize(new { text = t })));
        var heldout = Write("heldout.jsonl", ReferenceDocuments.NonMembers.Take(24).Select(t => JsonSerializer.Serialize(t)));
        var report = Path.Combine(_directory, "report.json");
        using var output = new StringWriter();

        var status = await DatasetInferenceCommand.RunAsync(
            ["dataset-inference", "run", "--suspect", suspect, "--heldout", heldout, "--upstream", gateway.PublicUrl + "/", "--model", "reference-ngram",
             "--api-key-env", variable, "--out", report], output);

        Environment.SetEnvironmentVariable(variable, null);
        Assert.Equal(0, status);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        Assert.Equal("evidence_of_use", json.GetProperty("verdict").GetString());
        Assert.True(json.GetProperty("p_value").GetDouble() < 0.01);
        Assert.Equal(24, json.GetProperty("documents").GetProperty("suspect").GetInt32());
        Assert.Contains("\"verdict\"", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithoutAKey_ThroughTheGateway_FailsWithTheUpstreamsError()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, ["--GenSafety:Detection:Enabled=false"]);
        var documents = Write("docs.jsonl", ReferenceDocuments.Members.Take(8).Select(t => JsonSerializer.Serialize(t)));

        var status = await DatasetInferenceCommand.RunAsync(
            ["dataset-inference", "run", "--suspect", documents, "--heldout", documents, "--upstream", gateway.PublicUrl + "/", "--model", "m"], TextWriter.Null);

        Assert.Equal(3, status); // 401 invalid_api_key from the gateway
    }

    [Fact]
    public async Task BadArgumentsAndFiles_ExitTwo()
    {
        var notJson = Write("bad.jsonl", ["{not json"]);
        Assert.Equal(2, await DatasetInferenceCommand.RunAsync(["dataset-inference", "frobnicate"], TextWriter.Null));
        Assert.Equal(2, await DatasetInferenceCommand.RunAsync(["dataset-inference", "run", "--heldout", notJson], TextWriter.Null));
        Assert.Equal(2, await DatasetInferenceCommand.RunAsync(
            ["dataset-inference", "run", "--suspect", notJson, "--heldout", notJson, "--upstream", "http://127.0.0.1:9/", "--model", "m"], TextWriter.Null));
        Assert.Equal(2, await DatasetInferenceCommand.RunAsync(
            ["dataset-inference", "run", "--suspect", Path.Combine(_directory, "missing.jsonl"), "--heldout", notJson, "--upstream", "http://127.0.0.1:9/", "--model", "m"], TextWriter.Null));
    }
}
