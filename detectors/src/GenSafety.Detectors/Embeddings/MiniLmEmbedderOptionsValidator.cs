using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Embeddings;

/// <summary>Checks <see cref="MiniLmEmbedderOptions"/> and reports every problem at once.</summary>
public sealed class MiniLmEmbedderOptionsValidator : IValidateOptions<MiniLmEmbedderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MiniLmEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = MiniLmEmbedderOptions.SectionName;

        if (!Enum.IsDefined(options.Provider))
        {
            errors.AddError($"{Section}:Provider must be one of auto, cuda, cpu.");
        }

        if (options.CudaDeviceId < 0)
        {
            errors.AddError($"{Section}:CudaDeviceId must not be negative.");
        }

        if (options.IntraOpNumThreads is < 0 or > 1024)
        {
            errors.AddError($"{Section}:IntraOpNumThreads must be between 0 and 1024.");
        }

        if (options.InterOpNumThreads is < 0 or > 1024)
        {
            errors.AddError($"{Section}:InterOpNumThreads must be between 0 and 1024.");
        }

        if (options.MaxBatchSize is < 1 or > 1024)
        {
            errors.AddError($"{Section}:MaxBatchSize must be between 1 and 1024.");
        }

        if (options.MaxTokens is < 8 or > 512)
        {
            errors.AddError($"{Section}:MaxTokens must be between 8 and 512.");
        }

        RequireFile(errors, options.PackagePath, "PackagePath");
        if (string.IsNullOrWhiteSpace(options.ModelPath) != string.IsNullOrWhiteSpace(options.VocabularyPath))
        {
            errors.AddError($"{Section}:ModelPath and VocabularyPath must be set together.");
        }

        RequireFile(errors, options.ModelPath, "ModelPath");
        RequireFile(errors, options.VocabularyPath, "VocabularyPath");
        return errors.Build();
    }

    private static void RequireFile(ValidateOptionsResultBuilder errors, string? path, string option)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
        {
            errors.AddError($"{MiniLmEmbedderOptions.SectionName}:{option} '{path}' does not exist.");
        }
    }
}
