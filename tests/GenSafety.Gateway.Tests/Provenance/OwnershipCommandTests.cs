using System.Text.Json;
using GenSafety.Gateway.Provenance;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Text.Lexical;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// <c>GenSafety.Gateway ownership-test</c>: texts marked with a tenant's <c>lexical</c> key test positive under the
/// gateway's configuration, the same texts unmarked test negative, and bad arguments or settings exit with 2.
/// </summary>
public sealed class OwnershipCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ownership-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static IReadOnlyList<string> Human => [.. ShippedText.HumanDocuments.Take(40)];

    [Fact]
    public async Task MarkedOutputs_EvidenceOfOwnership_UnmarkedOutputs_NoEvidence()
    {
        var ring = new WatermarkKeyRing(WatermarkMasterKey.FromBase64(MasterKey), new KeyRingOptions(), TimeProvider.System);
        var lexical = new LexicalScheme(new LexicalOptions(), SynonymLexicon.Shared);
        var key = ring.Current("acme", KeyPurpose.Lexical);
        var marked = await WriteAsync("marked.jsonl", Human.Select(t => lexical.Mark(t, key)));
        var unmarked = await WriteAsync("unmarked.jsonl", Human);

        var (positiveStatus, positive) = await RunAsync("--tenant", "acme", "--in", marked, $"--GenSafety:Watermarking:MasterKey={MasterKey}");
        var (negativeStatus, negative) = await RunAsync("--tenant", "acme", "--in", unmarked, $"--GenSafety:Watermarking:MasterKey={MasterKey}");

        Assert.Equal(0, positiveStatus);
        Assert.Equal("evidence_of_ownership", positive.GetProperty("verdict").GetString());
        Assert.True(positive.GetProperty("p_value").GetDouble() < 1e-6, positive.ToString());
        Assert.Equal(40, positive.GetProperty("texts").GetInt32());
        Assert.Equal(0, negativeStatus);
        Assert.Equal("no_evidence", negative.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task BadArgumentsFilesOrSettings_ExitWith2()
    {
        var empty = await WriteAsync("empty.jsonl", []);
        var broken = Path.Combine(_folder.FullName, "broken.jsonl");
        await File.WriteAllTextAsync(broken, "{not json\n");
        var good = await WriteAsync("good.jsonl", Human);
        var key = $"--GenSafety:Watermarking:MasterKey={MasterKey}";

        Assert.Equal(2, (await RunAsync("--in", good, key)).Status); // no tenant
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", Path.Combine(_folder.FullName, "missing.jsonl"), key)).Status);
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", empty, key)).Status);
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", broken, key)).Status);
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", good)).Status); // no master key
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", good, "stray", key)).Status);
    }

    [Fact]
    public async Task EndpointProbe_BadArgumentsOrNoUsableAnswer_ExitWith2()
    {
        var prompts = Path.Combine(_folder.FullName, "prompts.jsonl");
        await File.WriteAllLinesAsync(prompts, ["\"Write about rivers.\"", "{\"prompt\":\"Write about hills.\"}"]);
        var good = await WriteAsync("good.jsonl", Human);
        var key = $"--GenSafety:Watermarking:MasterKey={MasterKey}";

        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--in", good, "--endpoint", "http://127.0.0.1:9/v1", "--prompts", prompts, key)).Status); // both sources
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--endpoint", "http://127.0.0.1:9/v1", key)).Status); // no prompts
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--endpoint", "ftp://example.com/v1", "--prompts", prompts, key)).Status);
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--endpoint", "http://127.0.0.1:9/v1", "--prompts", prompts, "--samples", "0", key)).Status);
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--endpoint", "http://127.0.0.1:9/v1", "--prompts", prompts, "--temperature", "x", key)).Status);
        // Nothing listens on port 9: every request fails, so there is nothing to test.
        Assert.Equal(2, (await RunAsync("--tenant", "acme", "--endpoint", "http://127.0.0.1:9/v1", "--prompts", prompts, key)).Status);
    }

    private async Task<string> WriteAsync(string name, IEnumerable<string> texts)
    {
        var path = Path.Combine(_folder.FullName, name);
        await File.WriteAllLinesAsync(path, texts.Select(t => JsonSerializer.Serialize(new { text = t })));
        return path;
    }

    private static async Task<(int Status, JsonElement Report)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var status = await OwnershipCommand.RunAsync([OwnershipCommand.Verb, .. args], output);
        var text = output.ToString();
        return (status, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
