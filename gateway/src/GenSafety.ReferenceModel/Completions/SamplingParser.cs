using System.Globalization;
using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>Parses the request fields both text endpoints share.</summary>
internal static class SamplingParser
{
    private const int MaxStopSequences = 4;
    private const int MaxLogitBiasEntries = 1024;

    /// <summary>Reads temperature, top_p, stop, seed, logit_bias and the penalties (accepted, without effect).</summary>
    public static SamplingSettings ParseCommon(JsonElement root, Cl100kTokenizer tokenizer)
    {
        RequestFields.OptionalNumber(root, "presence_penalty", -2, 2);
        RequestFields.OptionalNumber(root, "frequency_penalty", -2, 2);
        return new SamplingSettings
        {
            Temperature = RequestFields.OptionalNumber(root, "temperature", 0, 2) ?? 1,
            TopP = RequestFields.OptionalNumber(root, "top_p", 0, 1) ?? 1,
            Stop = ParseStop(root),
            Seed = RequestFields.OptionalLong(root, "seed", long.MinValue, long.MaxValue),
            LogitBias = ParseLogitBias(root, tokenizer),
        };
    }

    /// <summary><c>n</c>, 1 to <paramref name="max"/>.</summary>
    public static int ParseN(JsonElement root, int max) => RequestFields.OptionalInt(root, "n", 1, max) ?? 1;

    /// <summary><c>stream</c> and <c>stream_options.include_usage</c>.</summary>
    public static (bool Stream, bool IncludeUsage) ParseStreaming(JsonElement root)
    {
        var stream = RequestFields.OptionalBool(root, "stream") ?? false;
        if (!RequestFields.TryGet(root, "stream_options", out var options))
        {
            return (stream, false);
        }

        if (!stream)
        {
            throw RequestFields.Invalid("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_value");
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            throw RequestFields.WrongType("stream_options", "an object", options);
        }

        return (stream, RequestFields.OptionalBool(options, "include_usage") ?? false);
    }

    private static string[] ParseStop(JsonElement root)
    {
        if (!RequestFields.TryGet(root, "stop", out var stop))
        {
            return [];
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            return stop.GetString() is { Length: > 0 } single ? [single] : [];
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            throw RequestFields.WrongType("stop", "a string or an array of strings", stop);
        }

        if (stop.GetArrayLength() > MaxStopSequences)
        {
            throw RequestFields.Invalid("stop", $"at most {MaxStopSequences} stop sequences are allowed.", "array_above_max_length");
        }

        var list = new List<string>();
        foreach (var item in stop.EnumerateArray())
        {
            var text = RequestFields.String(item, "stop");
            if (text.Length > 0)
            {
                list.Add(text);
            }
        }

        return list.ToArray();
    }

    private static Dictionary<int, double>? ParseLogitBias(JsonElement root, Cl100kTokenizer tokenizer)
    {
        if (!RequestFields.TryGet(root, "logit_bias", out var bias))
        {
            return null;
        }

        if (bias.ValueKind != JsonValueKind.Object)
        {
            throw RequestFields.WrongType("logit_bias", "an object", bias);
        }

        var result = new Dictionary<int, double>();
        foreach (var entry in bias.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var token) || !tokenizer.IsValid(token))
            {
                throw RequestFields.Invalid("logit_bias", $"'{entry.Name}' is not a valid token id.", "invalid_logit_bias");
            }

            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out var value))
            {
                throw RequestFields.WrongType("logit_bias", "numbers as values", entry.Value);
            }

            if (value is < -100 or > 100)
            {
                throw RequestFields.Invalid("logit_bias", $"bias for token {token} must be between -100 and 100.", "invalid_logit_bias");
            }

            result[token] = value;
        }

        if (result.Count > MaxLogitBiasEntries)
        {
            throw RequestFields.Invalid("logit_bias", $"at most {MaxLogitBiasEntries} entries are allowed.", "invalid_logit_bias");
        }

        return result;
    }
}
