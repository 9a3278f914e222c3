using GenSafety.ReferenceModel.Tests.TestHost;

namespace GenSafety.ReferenceModel.Tests.Embeddings;

public sealed class MiniLmLoaderTests
{
    [Fact]
    public async Task Embeddings_UseCudaRequested_ServesFromAvailableProvider()
    {
        // Without a GPU (or CUDA libraries) the loader logs a warning and falls back to the CPU.
        await using var host = await ReferenceModelHost.StartAsync(o => o.UseCuda = true);
        using var request = HttpJson.Request("/v1/embeddings", """{"model":"m","input":"hello"}""");
        using var response = await host.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        var provider = response.Headers.GetValues(ReferenceModelHeaders.ExecutionProvider).Single();
        // On a GPU machine, set REFMODEL_EXPECT_CUDA=1 to require the CUDA provider.
        var expected = Environment.GetEnvironmentVariable("REFMODEL_EXPECT_CUDA") == "1" ? new[] { "CUDA" } : ["CPU", "CUDA"];
        Assert.Contains(provider, expected);
    }
}
