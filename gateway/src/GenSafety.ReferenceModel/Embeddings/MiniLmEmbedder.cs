using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Microsoft.ML.Tokenizers;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings: lower-cased WordPiece tokens (at most 256 with [CLS] and [SEP]), the
/// ONNX model through ONNX Runtime, mean pooling over the attention mask, L2 normalisation. Thread-safe.
/// </summary>
internal sealed class MiniLmEmbedder : IDisposable
{
    /// <summary>Embedding size.</summary>
    public const int Dimensions = 384;

    /// <summary>Longest input in tokens, [CLS] and [SEP] included; longer inputs are truncated.</summary>
    public const int MaxTokens = 256;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string _outputName;
    private readonly bool _needsTokenTypes;

    public MiniLmEmbedder(byte[] model, byte[] vocabulary, SessionOptions sessionOptions, string executionProvider)
    {
        _session = new InferenceSession(model, sessionOptions);
        using (var stream = new MemoryStream(vocabulary))
        {
            _tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        _outputName = _session.OutputMetadata.First(o => o.Value.Dimensions.Length == 3).Key;
        _needsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        ExecutionProvider = executionProvider;
    }

    /// <summary><c>CPU</c> or <c>CUDA</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Token ids of <paramref name="text"/> with [CLS] and [SEP], truncated to <see cref="MaxTokens"/>.</summary>
    public int[] Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        var count = Math.Min(ids.Count, MaxTokens - 2);
        var result = new int[count + 2];
        result[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < count; i++)
        {
            result[i + 1] = ids[i];
        }

        result[^1] = _tokenizer.SeparatorTokenId;
        return result;
    }

    /// <summary>Embeds one batch of tokenized inputs; returns one unit-length vector per input.</summary>
    public float[][] Embed(IReadOnlyList<int[]> batch)
    {
        var length = batch.Max(t => t.Length);
        var ids = new long[batch.Count * length];
        var mask = new long[ids.Length];
        for (var b = 0; b < batch.Count; b++)
        {
            for (var i = 0; i < batch[b].Length; i++)
            {
                ids[(b * length) + i] = batch[b][i];
                mask[(b * length) + i] = 1;
            }
        }

        long[] shape = [batch.Count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (_needsTokenTypes)
        {
            inputs["token_type_ids"] = typesValue;
        }

        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, [_outputName]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var result = new float[batch.Count][];
        for (var b = 0; b < batch.Count; b++)
        {
            result[b] = MeanPoolNormalized(hidden, b, length, batch[b].Length);
        }

        return result;
    }

    public void Dispose() => _session.Dispose();

    private static float[] MeanPoolNormalized(ReadOnlySpan<float> hidden, int row, int length, int tokens)
    {
        var vector = new float[Dimensions];
        for (var t = 0; t < tokens; t++)
        {
            var offset = ((row * length) + t) * Dimensions;
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] += hidden[offset + d];
            }
        }

        var norm = 0.0;
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] /= tokens;
            norm += vector[d] * vector[d];
        }

        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] *= scale;
        }

        return vector;
    }
}
