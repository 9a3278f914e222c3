using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>The body of <c>POST /v1/verify/text</c>: <c>{"text": "...", "receipt": "..."?}</c>.</summary>
/// <param name="Text">The text to check.</param>
/// <param name="Receipt">A receipt the text came with, if any.</param>
internal sealed record VerifyTextRequest(string Text, string? Receipt)
{
    /// <summary>Reads the body; returns null with <paramref name="error"/> and <paramref name="param"/> naming the problem.</summary>
    public static VerifyTextRequest? Read(JsonElement root, int maxCharacters, out string? error, out string? param)
    {
        error = null;
        param = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object {\"text\": \"...\", \"receipt\": \"...\"}.";
            return null;
        }

        if (!root.TryGetProperty("text"u8, out var text) || text.ValueKind != JsonValueKind.String || text.GetString() is not { Length: > 0 } value)
        {
            (error, param) = ("'text' is required and must be a non-empty string.", "text");
            return null;
        }

        if (value.Length > maxCharacters)
        {
            (error, param) = ($"'text' is longer than {maxCharacters} characters.", "text");
            return null;
        }

        string? receipt = null;
        if (root.TryGetProperty("receipt"u8, out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind != JsonValueKind.String)
            {
                (error, param) = ("'receipt' must be a string (the x-gensafety-receipt value).", "receipt");
                return null;
            }

            receipt = r.GetString();
        }

        return new VerifyTextRequest(value, receipt);
    }
}
