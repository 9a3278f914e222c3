using System.Text.Json;
using GenSafety.Detectors.Embeddings;
using GenSafety.ReferenceModel.Http;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary>A validated <c>POST /v1/embeddings</c> request.</summary>
internal sealed record EmbeddingRequest(IReadOnlyList<string> Inputs, bool Base64)
{
    public static EmbeddingRequest Parse(JsonElement root, ReferenceModelOptions options)
    {
        RequestFields.RequiredString(root, "model");
        var format = RequestFields.OptionalString(root, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
        {
            throw RequestFields.Invalid("encoding_format", $"'{format}' is not one of 'float', 'base64'.");
        }

        if (RequestFields.OptionalInt(root, "dimensions", 1, int.MaxValue) is { } dimensions && dimensions != MiniLmEmbedder.OutputDimensions)
        {
            throw RequestFields.Invalid("dimensions", $"this model only produces {MiniLmEmbedder.OutputDimensions}-dimensional embeddings.", "unsupported_value");
        }

        return new EmbeddingRequest(ParseInputs(root, options.MaxEmbeddingInputs), format == "base64");
    }

    private static string[] ParseInputs(JsonElement root, int maxInputs)
    {
        if (!RequestFields.TryGet(root, "input", out var input))
        {
            throw RequestFields.Missing("input");
        }

        string[] inputs = input.ValueKind switch
        {
            JsonValueKind.String => [input.GetString()!],
            JsonValueKind.Array => input.EnumerateArray().Select(item => item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Number or JsonValueKind.Array => throw RequestFields.Invalid("input", "token arrays are not supported by this model; send strings.", "unsupported_value"),
                _ => throw RequestFields.WrongType("input", "a string or an array of strings", item),
            }).ToArray(),
            _ => throw RequestFields.WrongType("input", "a string or an array of strings", input),
        };

        if (inputs.Length == 0)
        {
            throw RequestFields.Invalid("input", "the input array must not be empty.", "empty_array");
        }

        if (inputs.Length > maxInputs)
        {
            throw RequestFields.Invalid("input", $"at most {maxInputs} inputs are allowed per request.", "array_above_max_length");
        }

        if (inputs.Any(string.IsNullOrEmpty))
        {
            throw RequestFields.Invalid("input", "inputs must be non-empty strings.", "empty_string");
        }

        return inputs;
    }
}
