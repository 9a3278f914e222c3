using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel;

/// <summary>Checks every rule and reports all failures together.</summary>
internal sealed class ReferenceModelOptionsValidator : IValidateOptions<ReferenceModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ReferenceModelOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        Require(builder, !string.IsNullOrWhiteSpace(options.TextModelId), nameof(options.TextModelId), "must not be empty");
        Require(builder, !string.IsNullOrWhiteSpace(options.EmbeddingModelId), nameof(options.EmbeddingModelId), "must not be empty");
        Require(builder, !string.IsNullOrWhiteSpace(options.ImageModelId), nameof(options.ImageModelId), "must not be empty");
        Require(builder, options.Order is >= 1 and <= 64, nameof(options.Order), "must be between 1 and 64");
        Require(builder, options.HiddenSize is >= 8 and <= 1024, nameof(options.HiddenSize), "must be between 8 and 1024");
        Require(builder, options.StreamTokenDelayMs is >= 0 and <= 600_000, nameof(options.StreamTokenDelayMs), "must be between 0 and 600000");
        Require(builder, options.ResponseDelayMs is >= 0 and <= 600_000, nameof(options.ResponseDelayMs), "must be between 0 and 600000");
        Require(builder, options.MaxTokensLimit >= 1, nameof(options.MaxTokensLimit), "must be at least 1");
        Require(builder, options.DefaultChatMaxTokens >= 1 && options.DefaultChatMaxTokens <= options.MaxTokensLimit, nameof(options.DefaultChatMaxTokens), "must be between 1 and MaxTokensLimit");
        Require(builder, options.MaxChoices is >= 1 and <= 128, nameof(options.MaxChoices), "must be between 1 and 128");
        Require(builder, options.MaxRequestBodyBytes >= 1024, nameof(options.MaxRequestBodyBytes), "must be at least 1024");
        Require(builder, options.CudaDeviceId >= 0, nameof(options.CudaDeviceId), "must not be negative");
        Require(builder, options.EmbeddingThreads >= 0, nameof(options.EmbeddingThreads), "must not be negative");
        Require(builder, options.EmbeddingBatchSize is >= 1 and <= 1024, nameof(options.EmbeddingBatchSize), "must be between 1 and 1024");
        Require(builder, options.MaxEmbeddingInputs >= 1, nameof(options.MaxEmbeddingInputs), "must be at least 1");
        if (options.DataDirectory is { Length: > 0 } directory)
        {
            Require(builder, Directory.Exists(directory), nameof(options.DataDirectory), $"'{directory}' does not exist");
        }

        return builder.Build();
    }

    private static void Require(ValidateOptionsResultBuilder builder, bool condition, string option, string message)
    {
        if (!condition)
        {
            builder.AddError($"{ReferenceModelOptions.SectionName}:{option} {message}.");
        }
    }
}
