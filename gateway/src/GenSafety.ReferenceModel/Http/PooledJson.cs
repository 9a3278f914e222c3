using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GenSafety.ReferenceModel.Http;

/// <summary>A <see cref="Utf8JsonWriter"/> over a growable buffer, for writing a whole JSON response body.</summary>
internal sealed class PooledJson : IDisposable
{
    /// <summary>
    /// Writer options of every response: text is escaped only where JSON requires it (like OpenAI's responses),
    /// not HTML-escaped, because these bodies are never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public PooledJson()
    {
        Writer = new Utf8JsonWriter(_buffer, Options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Flushes the writer and sends the JSON as the response body.</summary>
    public async Task CopyToAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        Writer.Flush();
        response.ContentLength = _buffer.WrittenCount;
        await response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
    }

    public void Dispose() => Writer.Dispose();
}
