using GenSafety.Detectors.Embeddings;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class MiniLmEmbedderOptionsValidatorTests
{
    private readonly MiniLmEmbedderOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new MiniLmEmbedderOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryFieldWrong_ReportsAllAtOnce()
    {
        var options = new MiniLmEmbedderOptions
        {
            Provider = (ExecutionProviderPreference)7,
            CudaDeviceId = -1,
            IntraOpNumThreads = -1,
            InterOpNumThreads = 2000,
            MaxBatchSize = 0,
            MaxTokens = 1000,
            PackagePath = "/nonexistent/minilm.dll",
            ModelPath = "/nonexistent/model.onnx",
        };

        var failures = _validator.Validate(null, options).Failures!.ToArray();

        foreach (var key in new[] { "Provider", "CudaDeviceId", "IntraOpNumThreads", "InterOpNumThreads", "MaxBatchSize", "MaxTokens", "PackagePath", "ModelPath and VocabularyPath", "ModelPath '" })
        {
            Assert.Contains(failures, f => f.StartsWith($"GenSafety:Detection:Embeddings:MiniLm:{key}", StringComparison.Ordinal));
        }

        Assert.Equal(9, failures.Length);
    }
}
