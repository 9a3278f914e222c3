using System.Text.Json;

namespace GenSafety.Gateway.Errors;

/// <summary>
/// Writes errors in the OpenAI shape <c>{"error":{"message","type","code","param"}}</c>, which every OpenAI client
/// library already knows how to surface.
/// </summary>
public static class OpenAIError
{
    /// <summary>Builds the JSON bytes of an error body.</summary>
    public static byte[] Serialize(string message, string type, string code, string? param = null)
    {
        using var buffer = new MemoryStream(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteString("code", code);
            if (param is null)
            {
                writer.WriteNull("param");
            }
            else
            {
                writer.WriteString("param", param);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The OpenAI <c>error.type</c> that goes with an HTTP status.</summary>
    public static string TypeForStatus(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status409Conflict => "conflict_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>
    /// Replaces whatever response was being prepared with an error. Does nothing when the response has already
    /// started (headers sent): the caller must then end the body in its own way.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int statusCode, string code, string message, string? param = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        var body = Serialize(message, TypeForStatus(statusCode), code, param);
        context.Response.Clear();
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        try
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away; there is nobody to tell.
        }
    }
}
