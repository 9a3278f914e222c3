using System.Diagnostics;
using GenSafety.Detectors.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings: lower-cased WordPiece tokens (at most
/// <see cref="MiniLmEmbedderOptions.MaxTokens"/> with [CLS] and [SEP]), one shared ONNX Runtime session on CUDA or
/// the CPU, batches padded to their longest input with an attention mask, mean pooling over the mask, L2
/// normalisation. Thread-safe: concurrent calls share the session. Create it with <see cref="Create"/>.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>Embedding size of all-MiniLM-L6-v2.</summary>
    public const int OutputDimensions = 384;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string _outputName;
    private readonly bool _needsTokenTypes;
    private readonly int _maxTokens;
    private readonly int _maxBatchSize;
    private readonly DetectorsMetrics? _metrics;
    private int _disposed;

    private MiniLmEmbedder(byte[] model, byte[] vocabulary, SessionOptions sessionOptions, string executionProvider, MiniLmEmbedderOptions options, DetectorsMetrics? metrics)
    {
        _session = new InferenceSession(model, sessionOptions);
        try
        {
            using (var stream = new MemoryStream(vocabulary))
            {
                _tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = true });
            }

            _outputName = _session.OutputMetadata.First(o => o.Value.Dimensions.Length == 3).Key;
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _needsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        _maxTokens = options.MaxTokens;
        _maxBatchSize = options.MaxBatchSize;
        _metrics = metrics;
        ExecutionProvider = executionProvider;
    }

    /// <inheritdoc />
    public string Name => EmbedderNames.MiniLm;

    /// <inheritdoc />
    public int Dimensions => OutputDimensions;

    /// <summary>The execution provider the session runs on: <see cref="ExecutionProviderNames.Cuda"/> or <see cref="ExecutionProviderNames.Cpu"/>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>
    /// Loads the model and vocabulary and creates the session: with the CUDA provider first unless
    /// <see cref="MiniLmEmbedderOptions.Provider"/> is <c>cpu</c>, falling back to the CPU when CUDA cannot be loaded
    /// (logged as a warning when <c>cuda</c> was asked for, as information for <c>auto</c>). Takes about half a
    /// second; callers share the instance. <paramref name="metrics"/>, when given, reports the active provider and
    /// what is embedded.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public static MiniLmEmbedder Create(MiniLmEmbedderOptions options, ILogger? logger = null, DetectorsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MiniLmEmbedderOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(MiniLmEmbedderOptions.SectionName, typeof(MiniLmEmbedderOptions), validation.Failures);
        }

        logger ??= NullLogger.Instance;
        var stopwatch = Stopwatch.StartNew();
        var (model, vocabulary) = ReadModel(options);
        var settings = new OnnxSessionSettings(options.Provider, options.CudaDeviceId, options.IntraOpNumThreads, options.InterOpNumThreads);
        var (embedder, _) = OnnxSessionFactory.Create(
            settings,
            (sessionOptions, provider) => new MiniLmEmbedder(model, vocabulary, sessionOptions, provider, options, metrics),
            message =>
            {
                if (options.Provider == ExecutionProviderPreference.Cuda)
                {
                    MiniLmLog.CudaFallback(logger, options.CudaDeviceId, message);
                }
                else
                {
                    MiniLmLog.CudaNotAvailable(logger, options.CudaDeviceId, message);
                }
            });

        MiniLmLog.Loaded(logger, embedder.ExecutionProvider, stopwatch.Elapsed.TotalMilliseconds);
        metrics?.TrackProvider(embedder, embedder.Name, embedder.ExecutionProvider);
        return embedder;
    }

    /// <summary>Token ids of <paramref name="text"/> with [CLS] and [SEP], truncated to <see cref="MiniLmEmbedderOptions.MaxTokens"/>.</summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        var count = Math.Min(ids.Count, _maxTokens - 2);
        var result = new int[count + 2];
        result[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < count; i++)
        {
            result[i + 1] = ids[i];
        }

        result[^1] = _tokenizer.SeparatorTokenId;
        return result;
    }

    /// <inheritdoc />
    public ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokenized = new int[texts.Count][];
        for (var i = 0; i < tokenized.Length; i++)
        {
            tokenized[i] = Tokenize(texts[i]);
        }

        // ONNX Runtime runs synchronously on the calling thread (detectors call this from a background consumer).
        return ValueTask.FromResult(Embed(tokenized, cancellationToken));
    }

    /// <summary>
    /// Embeds inputs already tokenized by <see cref="Tokenize"/>; returns one unit-length vector per input, in order.
    /// Inputs are sorted by length and run in batches of at most <see cref="MiniLmEmbedderOptions.MaxBatchSize"/>
    /// so that little padding is computed; padding never changes a vector.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (a running batch is terminated).</exception>
    public float[][] Embed(IReadOnlyList<int[]> tokenized, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenized);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var started = Stopwatch.GetTimestamp();
        var vectors = new float[tokenized.Count][];
        var order = new int[tokenized.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => tokenized[a].Length != tokenized[b].Length ? tokenized[a].Length.CompareTo(tokenized[b].Length) : a.CompareTo(b));
        foreach (var chunk in order.Chunk(_maxBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new int[chunk.Length][];
            for (var j = 0; j < chunk.Length; j++)
            {
                batch[j] = tokenized[chunk[j]];
            }

            var embedded = RunBatch(batch, cancellationToken);
            for (var j = 0; j < chunk.Length; j++)
            {
                vectors[chunk[j]] = embedded[j];
            }
        }

        _metrics?.Embedded(Name, vectors.Length, Stopwatch.GetElapsedTime(started));
        return vectors;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _metrics?.UntrackProvider(this);
            _session.Dispose();
        }
    }

    private static (byte[] Model, byte[] Vocabulary) ReadModel(MiniLmEmbedderOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ModelPath))
        {
            return (File.ReadAllBytes(options.ModelPath), File.ReadAllBytes(options.VocabularyPath!));
        }

        var path = string.IsNullOrWhiteSpace(options.PackagePath) ? MiniLmPackage.DefaultPath : options.PackagePath;
        var resources = MiniLmPackage.ReadResources(path, MiniLmPackage.ModelResource, MiniLmPackage.VocabularyResource);
        return (resources[MiniLmPackage.ModelResource], resources[MiniLmPackage.VocabularyResource]);
    }

    private static float[] MeanPoolNormalized(ReadOnlySpan<float> hidden, int row, int length, int tokens)
    {
        var vector = new float[OutputDimensions];
        for (var t = 0; t < tokens; t++)
        {
            var offset = ((row * length) + t) * OutputDimensions;
            for (var d = 0; d < OutputDimensions; d++)
            {
                vector[d] += hidden[offset + d];
            }
        }

        var norm = 0.0;
        for (var d = 0; d < OutputDimensions; d++)
        {
            vector[d] /= tokens;
            norm += vector[d] * vector[d];
        }

        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (var d = 0; d < OutputDimensions; d++)
        {
            vector[d] *= scale;
        }

        return vector;
    }

    private float[][] RunBatch(int[][] batch, CancellationToken cancellationToken)
    {
        var length = 0;
        foreach (var tokens in batch)
        {
            length = Math.Max(length, tokens.Length);
        }

        // Padded positions keep id 0 ([PAD]) and mask 0, so attention and pooling ignore them.
        var ids = new long[batch.Length * length];
        var mask = new long[ids.Length];
        for (var b = 0; b < batch.Length; b++)
        {
            for (var i = 0; i < batch[b].Length; i++)
            {
                ids[(b * length) + i] = batch[b][i];
                mask[(b * length) + i] = 1;
            }
        }

        long[] shape = [batch.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal) { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (_needsTokenTypes)
        {
            inputs["token_type_ids"] = typesValue;
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            using var outputs = _session.Run(runOptions, inputs, [_outputName]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var result = new float[batch.Length][];
            for (var b = 0; b < batch.Length; b++)
            {
                result[b] = MeanPoolNormalized(hidden, b, length, batch[b].Length);
            }

            return result;
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
