using System.Globalization;
using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Reads a request's <c>logit_bias</c> for merging with a watermark plan: OpenAI semantics, token id (a decimal
/// string) → bias in [−100, 100]. Anything else is refused, because an entry the gateway cannot read cannot be merged.
/// </summary>
internal static class ClientLogitBias
{
    /// <summary>Largest |bias| OpenAI accepts.</summary>
    public const double MaxMagnitude = 100;

    /// <summary>
    /// Parses <paramref name="root"/>'s <c>logit_bias</c> (absent or null: an empty map). Returns false with
    /// <paramref name="error"/> when a key is not a non-negative integer or a value not a bias in range. Whether an id
    /// exists in the model's vocabulary (special tokens such as <c>&lt;|endoftext|&gt;</c> included) is the upstream's
    /// call, as it would be without the gateway.
    /// </summary>
    public static bool TryRead(JsonElement root, out Dictionary<int, double> entries, out string? error)
    {
        entries = [];
        error = null;
        if (!root.TryGetProperty("logit_bias"u8, out var bias) || bias.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (bias.ValueKind != JsonValueKind.Object)
        {
            error = "logit_bias must be an object mapping token ids to biases.";
            return false;
        }

        foreach (var entry in bias.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var token))
            {
                error = "logit_bias keys must be token ids (non-negative integers).";
                return false;
            }

            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out var value) || Math.Abs(value) > MaxMagnitude)
            {
                error = $"logit_bias values must be numbers between -{MaxMagnitude} and {MaxMagnitude}.";
                return false;
            }

            // A repeated id: the last value wins, as a JSON object reader would take it.
            entries[token] = value;
        }

        return true;
    }
}
