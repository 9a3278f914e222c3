using GenSafety.Detectors.Embeddings;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class HashingEmbedderOptionsValidatorTests
{
    private readonly HashingEmbedderOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new HashingEmbedderOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Dimensions", 15)]
    [InlineData("Dimensions", 4097)]
    [InlineData("MinNgram", 0)]
    [InlineData("MaxNgram", 9)]
    [InlineData("MaxNgram", 2)]
    [InlineData("NonZerosPerNgram", 0)]
    [InlineData("NonZerosPerNgram", 17)]
    [InlineData("MaxCharacters", 15)]
    public void Validate_OutOfRange_NamesTheKey(string option, int value)
    {
        var options = new HashingEmbedderOptions();
        typeof(HashingEmbedderOptions).GetProperty(option)!.SetValue(options, value);

        var result = _validator.Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"GenSafety:Detection:Embeddings:Hashing:{option} ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllAtOnce()
    {
        var options = new HashingEmbedderOptions { Dimensions = 0, MinNgram = 9, MaxNgram = 1, NonZerosPerNgram = 0, MaxCharacters = 0 };

        Assert.Equal(5, _validator.Validate(null, options).Failures!.Count());
    }
}
