using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace GenSafety.ReferenceModel.Http;

/// <summary>Reads a request body as a JSON object, enforcing a size limit.</summary>
internal static class JsonBody
{
    /// <summary>Reads the body and turns its root object into a request with <paramref name="parse"/>.</summary>
    public static async Task<T> ParseAsync<T>(HttpContext context, int maxBytes, Func<JsonElement, T> parse)
    {
        using var body = await ReadObjectAsync(context, maxBytes);
        return parse(body.RootElement);
    }

    public static async Task<JsonDocument> ReadObjectAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        // Our limit replaces Kestrel's own (30 MB by default), so that oversized bodies always get our 413.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            int read;
            try
            {
                read = await request.Body.ReadAsync(memory, context.RequestAborted);
            }
            catch (BadHttpRequestException error)
            {
                // Malformed framing (bad chunked encoding, truncated body): Kestrel's status, our error shape.
                throw new OpenAiRequestException(error.Message, param: null, code: "invalid_body", error.StatusCode);
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            throw new OpenAiRequestException(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
                param: null,
                code: "invalid_json");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new OpenAiRequestException("The request body must be a JSON object.", param: null, code: "invalid_json");
        }

        return document;
    }

    private static OpenAiRequestException TooLarge(int maxBytes) =>
        new($"The request body is larger than the {maxBytes} bytes this server accepts.", param: null, code: "request_too_large", StatusCodes.Status413PayloadTooLarge);
}
