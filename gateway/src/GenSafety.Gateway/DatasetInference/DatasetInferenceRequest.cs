using System.Text.Json;
using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// A validated <c>POST /v1/dataset-inference</c> body: <c>suspect</c> and <c>heldout</c> (arrays of strings or of
/// <c>{"text": …}</c> objects), and optional <c>model</c>, <c>alpha</c> (0 &lt; α ≤ 0.2) and <c>seed</c>.
/// <see cref="Parse"/> throws <see cref="DatasetInferenceRequestException"/> naming the offending field.
/// </summary>
internal sealed record DatasetInferenceRequest(IReadOnlyList<string> Suspect, IReadOnlyList<string> Heldout, string? Model, double Alpha, ulong Seed)
{
    public static DatasetInferenceRequest Parse(JsonElement root, DatasetInferenceServiceOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetInferenceRequestException("The body must be a JSON object with 'suspect' and 'heldout' arrays.", null);
        }

        var suspect = Documents(root, "suspect", options);
        var heldout = Documents(root, "heldout", options);
        string? model = null;
        if (root.TryGetProperty("model", out var modelElement) && modelElement.ValueKind != JsonValueKind.Null)
        {
            model = modelElement.ValueKind == JsonValueKind.String && modelElement.GetString() is { Length: > 0 and <= 256 } m
                ? m
                : throw new DatasetInferenceRequestException("'model' must be a non-empty string of at most 256 characters.", "model");
        }

        var alpha = 0.01;
        if (root.TryGetProperty("alpha", out var alphaElement) && alphaElement.ValueKind != JsonValueKind.Null)
        {
            alpha = alphaElement.ValueKind == JsonValueKind.Number && alphaElement.GetDouble() is > 0 and <= 0.2 and var a
                ? a
                : throw new DatasetInferenceRequestException("'alpha' must be a number above 0 and at most 0.2.", "alpha");
        }

        ulong seed = 1;
        if (root.TryGetProperty("seed", out var seedElement) && seedElement.ValueKind != JsonValueKind.Null)
        {
            seed = seedElement.ValueKind == JsonValueKind.Number && seedElement.TryGetUInt64(out var s)
                ? s
                : throw new DatasetInferenceRequestException("'seed' must be a non-negative integer.", "seed");
        }

        return new DatasetInferenceRequest(suspect, heldout, model, alpha, seed);
    }

    private static List<string> Documents(JsonElement root, string name, DatasetInferenceServiceOptions options)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new DatasetInferenceRequestException($"'{name}' must be an array of documents (strings or objects with a 'text' string).", name);
        }

        var count = array.GetArrayLength();
        if (count < DatasetInferenceOptions.MinDocuments || count > options.MaxDocumentsPerSet)
        {
            throw new DatasetInferenceRequestException(
                $"'{name}' must hold between {DatasetInferenceOptions.MinDocuments} and {options.MaxDocumentsPerSet} documents; it holds {count}.", name);
        }

        var documents = new List<string>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var text = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object when item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(text) || text.Length > options.MaxDocumentCharacters)
            {
                throw new DatasetInferenceRequestException(
                    $"'{name}[{index}]' must be a non-empty text of at most {options.MaxDocumentCharacters} characters (a string or {{\"text\": \"...\"}}).", $"{name}[{index}]");
            }

            documents.Add(text);
            index++;
        }

        return documents;
    }
}

/// <summary>A dataset-inference request that cannot be accepted; the message and field are safe to return.</summary>
internal sealed class DatasetInferenceRequestException(string message, string? param) : Exception(message)
{
    public string? Param { get; } = param;
}
