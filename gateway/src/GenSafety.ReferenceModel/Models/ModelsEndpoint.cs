using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Models;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal sealed class ModelsEndpoint
{
    // A fixed creation time keeps responses stable across restarts (2024-01-01T00:00:00Z).
    private const long Created = 1704067200;

    private readonly string[] _ids;

    public ModelsEndpoint(IOptions<ReferenceModelOptions> options)
    {
        var o = options.Value;
        _ids = [o.TextModelId, o.EmbeddingModelId, o.ImageModelId];
    }

    public async Task ListAsync(HttpContext context)
    {
        using var json = new PooledJson();
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var id in _ids)
        {
            WriteModel(writer, id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        context.Response.ContentType = "application/json";
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }

    public async Task GetAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        if (!_ids.Contains(id, StringComparer.Ordinal))
        {
            throw new OpenAiRequestException($"The model '{id}' does not exist", "model", "model_not_found", StatusCodes.Status404NotFound);
        }

        using var json = new PooledJson();
        WriteModel(json.Writer, id);
        context.Response.ContentType = "application/json";
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }

    private static void WriteModel(Utf8JsonWriter writer, string id)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", Created);
        writer.WriteString("owned_by", "gensafety");
        writer.WriteEndObject();
    }
}
