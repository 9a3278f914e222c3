using System.Text.Json;
using GenSafety.ReferenceModel.Http;

namespace GenSafety.ReferenceModel.Images;

/// <summary>A validated <c>POST /v1/images/generations</c> request.</summary>
internal sealed record ImageRequest(string Prompt, int N, int Size, long? Seed)
{
    public const int MaxImages = 4;
    private const int MaxPromptLength = 32_000;

    public static ImageRequest Parse(JsonElement root)
    {
        var prompt = RequestFields.RequiredString(root, "prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw RequestFields.Invalid("prompt", "the prompt must not be empty.", "empty_string");
        }

        if (prompt.Length > MaxPromptLength)
        {
            throw RequestFields.Invalid("prompt", $"the prompt must be at most {MaxPromptLength} characters.", "string_above_max_length");
        }

        RequestFields.OptionalString(root, "model");
        RequestFields.OptionalString(root, "quality");
        RequestFields.OptionalString(root, "style");
        var format = RequestFields.OptionalString(root, "response_format") ?? "b64_json";
        if (format == "url")
        {
            throw RequestFields.Invalid("response_format", "'url' is not supported: this server hosts no images. Use 'b64_json'.", "unsupported_value");
        }

        if (format != "b64_json")
        {
            throw RequestFields.Invalid("response_format", $"'{format}' is not one of 'b64_json', 'url'.");
        }

        if (RequestFields.OptionalString(root, "output_format") is { } output && output != "png")
        {
            throw RequestFields.Invalid("output_format", $"'{output}' is not supported; only 'png' is.", "unsupported_value");
        }

        var size = RequestFields.OptionalString(root, "size") ?? "1024x1024";
        var pixels = size switch
        {
            "256x256" => 256,
            "512x512" => 512,
            "1024x1024" or "auto" => 1024,
            _ => throw RequestFields.Invalid("size", $"'{size}' is not one of '256x256', '512x512', '1024x1024'."),
        };

        return new ImageRequest(
            prompt,
            RequestFields.OptionalInt(root, "n", 1, MaxImages) ?? 1,
            pixels,
            RequestFields.OptionalLong(root, "seed", long.MinValue, long.MaxValue));
    }
}
