using System.Text.Json;
using System.Text.Unicode;

namespace GenSafety.Gateway.Requests;

/// <summary>
/// Reads the JSON body of one of the gateway's own endpoints (not a proxied route) within a cap and hands its root to
/// the endpoint's parser. Every problem becomes the endpoint's own exception, built by <c>error(message, param)</c>;
/// the param is <see cref="TooLargeParam"/> when the body exceeds the cap (declared or read), null for a body that
/// could not be read, is not UTF-8 or not JSON.
/// </summary>
internal static class JsonRequestBody
{
    /// <summary>The param of the error for a body over the cap.</summary>
    public const string TooLargeParam = "body_size";

    public static async Task<T> ReadAsync<T>(HttpContext context, long cap, Func<JsonElement, T> parse, Func<string, string?, Exception> error)
    {
        var tooLarge = error($"The body is larger than {cap} bytes.", TooLargeParam);
        if (context.Request.ContentLength > cap)
        {
            throw tooLarge;
        }

        BoundedBody.LiftServerLimit(context);
        byte[] body;
        try
        {
            body = await BoundedBody.ReadAsync(context.Request, cap, context.RequestAborted) ?? throw tooLarge;
        }
        catch (Exception ex) when (ex is BadHttpRequestException or EndOfStreamException)
        {
            throw error("The request body could not be read completely.", null);
        }

        if (!Utf8.IsValid(body))
        {
            throw error("The request body is not valid UTF-8.", null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return parse(document.RootElement);
        }
        catch (JsonException)
        {
            throw error("The body is not valid JSON.", null);
        }
    }
}
