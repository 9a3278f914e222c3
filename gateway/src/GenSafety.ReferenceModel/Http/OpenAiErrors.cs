using System.Text.Json;

namespace GenSafety.ReferenceModel.Http;

/// <summary>Writes <c>{"error":{"message","type","param","code"}}</c> responses.</summary>
internal static class OpenAiErrors
{
    public static Task WriteAsync(HttpContext context, int statusCode, string message, string type, string? param, string? code)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        using var buffer = new PooledJson();
        var writer = buffer.Writer;
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        WriteNullable(writer, "param", param);
        WriteNullable(writer, "code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return buffer.CopyToAsync(context.Response, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, OpenAiRequestException error) =>
        WriteAsync(context, error.StatusCode, error.Message, error.Type, error.Param, error.Code);

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
