using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Counts what a stream delivers, for admitted requests only, so the reservation is reconciled with what the
/// client really got: the upstream's <c>usage</c> chunk when it sends one (<c>stream_options.include_usage</c>),
/// otherwise an approximation of one output token per content chunk (OpenAI-style streams send one token per
/// chunk; a stream cut short is charged for what was sent). Forwards every event unchanged.
/// </summary>
internal sealed class StreamedUsageTransform : IStreamTransform
{
    public string Name => "streamed-usage";

    public IStreamTransformSession? Begin(StreamTransformContext context)
        => context.HttpContext.Features.Get<AdmissionReservation>() is null ? null : new Session(context.HttpContext);

    private sealed class Session(HttpContext context) : IStreamTransformSession
    {
        private long _contentChunks;
        private TokenUsage? _reported;

        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
        {
            Observe(sseEvent.Data);
            return output.WriteAsync(sseEvent, cancellationToken);
        }

        public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            context.Features.Set(_reported ?? new TokenUsage(0, _contentChunks));
            return ValueTask.CompletedTask;
        }

        // Most chunks carry one token of text and no usage: a string scan counts them; only a chunk that mentions
        // "usage" is parsed as JSON.
        private void Observe(string data)
        {
            if (data.Contains("\"usage\"", StringComparison.Ordinal))
            {
                Parse(data);
            }
            else if (HasText(data, "\"content\":") || HasText(data, "\"text\":"))
            {
                _contentChunks++;
            }
        }

        // Whether the property is followed by a non-empty string value (whitespace allowed after the colon).
        private static bool HasText(string data, string property)
        {
            var at = data.IndexOf(property, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var i = at + property.Length;
            while (i < data.Length && data[i] is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }

            return i + 1 < data.Length && data[i] == '"' && data[i + 1] != '"';
        }

        private void Parse(string data)
        {
            try
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(data));
                var depth = 0;
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject or JsonTokenType.StartArray:
                            depth++;
                            break;
                        case JsonTokenType.EndObject or JsonTokenType.EndArray:
                            depth--;
                            break;
                        case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("usage"u8):
                            reader.Read();
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                _reported = TokenUsage.Read(ref reader);
                            }

                            break;
                        case JsonTokenType.PropertyName when reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8):
                            reader.Read();
                            if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                            {
                                _contentChunks++;
                            }

                            break;
                    }
                }
            }
            catch (JsonException)
            {
                // The pump has already validated the event; a surprise here only costs the count of one chunk.
            }
        }
    }
}
