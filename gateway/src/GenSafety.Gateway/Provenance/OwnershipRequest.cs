using System.Text.Json;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// A validated <c>POST /admin/ownership/test</c> body: <c>{"tenant", "texts":[...], "model"?}</c> — the outputs of a
/// suspect model, tested against the watermark keys of the tenant whose outputs it may have been distilled from.
/// </summary>
/// <param name="Tenant">Whose keys to test under.</param>
/// <param name="Texts">The suspect model's outputs.</param>
/// <param name="Model">The model whose tokenizer the <c>unigram-bias</c> test uses (null: the default).</param>
internal sealed record OwnershipRequest(string Tenant, IReadOnlyList<string> Texts, string? Model)
{
    /// <summary>Most texts in one test.</summary>
    public const int MaxTexts = 100_000;

    /// <summary>Reads the body; throws <see cref="OwnershipRequestException"/> naming the bad field.</summary>
    public static OwnershipRequest Read(JsonElement root, long maxCharacters)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OwnershipRequestException("The body must be a JSON object with 'tenant' and 'texts'.", null);
        }

        var tenant = root.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
        if (!StateIds.IsValid(tenant))
        {
            throw new OwnershipRequestException("'tenant' must be a tenant id (letters, digits, '-', '_', '.').", "tenant");
        }

        if (!root.TryGetProperty("texts", out var texts) || texts.ValueKind != JsonValueKind.Array || texts.GetArrayLength() == 0)
        {
            throw new OwnershipRequestException("'texts' must be a non-empty array of strings.", "texts");
        }

        if (texts.GetArrayLength() > MaxTexts)
        {
            throw new OwnershipRequestException($"'texts' has {texts.GetArrayLength()} items; the limit is {MaxTexts}.", "texts");
        }

        var list = new List<string>(texts.GetArrayLength());
        long characters = 0;
        foreach (var item in texts.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new OwnershipRequestException($"'texts[{list.Count}]' must be a string.", $"texts[{list.Count}]");
            }

            var text = item.GetString()!;
            characters += text.Length;
            if (characters > maxCharacters)
            {
                throw new OwnershipRequestException($"'texts' hold more than {maxCharacters} characters.", "texts");
            }

            list.Add(text);
        }

        string? model = null;
        if (root.TryGetProperty("model", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            model = m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 and <= 256 } name
                ? name
                : throw new OwnershipRequestException("'model' must be a model name.", "model");
        }

        return new OwnershipRequest(tenant!, list, model);
    }
}

/// <summary>A bad ownership-test body: the message and the field it is about.</summary>
internal sealed class OwnershipRequestException(string message, string? param) : Exception(message)
{
    /// <summary>The field, or null for the body as a whole.</summary>
    public string? Param { get; } = param;
}
