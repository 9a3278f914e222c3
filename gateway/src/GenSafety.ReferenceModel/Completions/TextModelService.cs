using System.Security.Cryptography;
using System.Text;
using GenSafety.Detectors.Randomness;
using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Text;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>The trained text model of this host (shared by every host of the process with the same settings).</summary>
internal sealed partial class TextModelService
{
    private readonly Lazy<TrainedModel> _model;
    private string? _systemFingerprint;

    public TextModelService(IOptions<ReferenceModelOptions> options, ILogger<TextModelService> logger)
    {
        var o = options.Value;
        _model = new Lazy<TrainedModel>(() =>
        {
            var trained = LanguageModelCache.Get(DataPaths.Resolve(o), o.Order, o.LowRankLogits, o.HiddenSize, o.LowRankSeed);
            Log.ModelReady(logger, trained.Model.Fingerprint, trained.NGram.TokenCount, trained.NGram.ContextCount, trained.TrainingTime.TotalMilliseconds);
            return trained;
        });
    }

    public LanguageModel Model => _model.Value.Model;

    #pragma warning disable CA1822 // instance member: callers get the tokenizer from the service they already hold
    public Cl100kTokenizer Tokenizer => Cl100kTokenizer.Shared;
#pragma warning restore CA1822

    public TrainedModel Trained => _model.Value;

    /// <summary><c>system_fingerprint</c> of responses.</summary>
    public string SystemFingerprint => _systemFingerprint ??=
        "fp_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Model.Fingerprint)))[..10];

    /// <summary>A decoding stream for choice <paramref name="choiceIndex"/> of a request.</summary>
    public GenerationStream CreateStream(IReadOnlyList<int> prompt, SamplingSettings settings, int choiceIndex)
    {
        var seed = settings.Seed is { } s ? DeterministicRandom.Derive(s, choiceIndex) : (ulong)Random.Shared.NextInt64();
        return new GenerationStream(Model, Tokenizer, prompt, settings, seed);
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Text model {Fingerprint} ready: {Tokens} training tokens, {Contexts} contexts, trained in {Milliseconds:F0} ms.")]
        public static partial void ModelReady(ILogger logger, string fingerprint, long tokens, int contexts, double milliseconds);
    }
}
