using System.Collections.Concurrent;
using System.Text.Json;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Counts the input tokens of a request with the model's tiktoken encoding (<see cref="TokenCountingOptions"/>:
/// cl100k_base unless configured per model), the way OpenAI bills chat input: each message's text plus 3 tokens of
/// framing, plus 3 for the reply's priming. The count reserves budget at admission and is reconciled with the
/// upstream's <c>usage</c>.
/// </summary>
public sealed class PromptTokenCounter
{
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;

    private static readonly ConcurrentDictionary<string, Tokenizer> Tokenizers = new(StringComparer.Ordinal);
    private readonly Tokenizer _default;
    private readonly (string Prefix, Tokenizer Tokenizer)[] _models;

    /// <summary>A counter with cl100k_base for every model.</summary>
    public PromptTokenCounter()
        : this(Options.Create(new TokenCountingOptions()))
    {
    }

    /// <summary>A counter with the configured encodings (validated by <see cref="TokenCountingOptionsValidator"/>).</summary>
    public PromptTokenCounter(IOptions<TokenCountingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _default = For(options.Value.Default);
        _models = [.. options.Value.Models.OrderByDescending(m => m.Key.Length).Select(m => (m.Key, For(m.Value)))];
    }

    /// <summary>Input tokens of a parsed request body of the given route kind (0 for routes without text input).</summary>
    public long Count(string routeKind, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var tokenizer = TokenizerFor(body);
        return routeKind switch
        {
            RouteKinds.ChatCompletions when body.TryGetProperty("messages", out var messages) => CountMessages(tokenizer, messages),
            RouteKinds.Completions when body.TryGetProperty("prompt", out var prompt) => CountText(tokenizer, prompt),
            RouteKinds.Embeddings when body.TryGetProperty("input", out var input) => CountText(tokenizer, input),
            RouteKinds.ImagesGenerations when body.TryGetProperty("prompt", out var prompt) => CountText(tokenizer, prompt),
            _ => 0,
        };
    }

    private static Tokenizer For(string encoding) => Tokenizers.GetOrAdd(encoding, static e => TiktokenTokenizer.CreateForEncoding(e));

    private Tokenizer TokenizerFor(JsonElement body)
    {
        if (_models.Length > 0 && body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            var name = model.GetString()!;
            foreach (var (prefix, tokenizer) in _models)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return tokenizer;
                }
            }
        }

        return _default;
    }

    private static long CountMessages(Tokenizer tokenizer, JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long total = ReplyPriming;
        foreach (var message in messages.EnumerateArray())
        {
            total += TokensPerMessage;
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                total += CountText(tokenizer, content);
            }
        }

        return total;
    }

    // Strings, arrays of strings, arrays of token ids (each one token) and content parts ({"type":"text","text":...}).
    private static long CountText(Tokenizer tokenizer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return tokenizer.CountTokens(value.GetString()!);
            case JsonValueKind.Number:
                return 1;
            case JsonValueKind.Array:
                long total = 0;
                foreach (var item in value.EnumerateArray())
                {
                    total += CountText(tokenizer, item);
                }

                return total;
            case JsonValueKind.Object when value.TryGetProperty("text", out var text):
                return CountText(tokenizer, text);
            default:
                return 0;
        }
    }
}
