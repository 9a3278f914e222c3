using System.Globalization;
using System.Text.Json;

namespace GenSafety.ReferenceModel.Http;

/// <summary>
/// Typed, range-checked access to request fields. A missing field and an explicit <c>null</c> both mean
/// "not set"; a wrong type or an out-of-range value throws <see cref="OpenAiRequestException"/>.
/// </summary>
internal static class RequestFields
{
    public static bool TryGet(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static string RequiredString(JsonElement root, string name)
    {
        if (!TryGet(root, name, out var value))
        {
            throw Missing(name);
        }

        return String(value, name);
    }

    public static string? OptionalString(JsonElement root, string name) =>
        TryGet(root, name, out var value) ? String(value, name) : null;

    public static string String(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string", value);

    public static double? OptionalNumber(JsonElement root, string name, double min, double max)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw WrongType(name, "a decimal", value);
        }

        return CheckRange(name, number, min, max, "decimal");
    }

    public static int? OptionalInt(JsonElement root, string name, int min, int max)
    {
        var value = OptionalLong(root, name, min, max);
        return value is null ? null : (int)value.Value;
    }

    public static long? OptionalLong(JsonElement root, string name, long min, long max)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(name, "an integer", value);
        }

        if (value.TryGetInt64(out var number))
        {
            CheckRange(name, number, min, max, "integer");
            return number;
        }

        // Written with a fraction or exponent (2.0, 1e3), or beyond 64 bits: integral values are range-checked.
        if (!value.TryGetDouble(out var d) || Math.Floor(d) != d)
        {
            throw WrongType(name, "an integer", value);
        }

        CheckRange(name, d, min, max, "integer");
        return d >= long.MaxValue ? long.MaxValue : (long)d;
    }

    public static bool? OptionalBool(JsonElement root, string name)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "a boolean", value),
        };
    }

    public static OpenAiRequestException Missing(string name) =>
        new($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

    public static OpenAiRequestException WrongType(string name, string expected, JsonElement actual) =>
        new($"Invalid type for '{name}': expected {expected}, but got {Describe(actual)} instead.", name, "invalid_type");

    public static OpenAiRequestException Invalid(string name, string message, string code = "invalid_value") =>
        new($"Invalid '{name}': {message}", name, code);

    private static double CheckRange(string name, double value, double min, double max, string kind)
    {
        if (value < min || value > max)
        {
            throw OutOfRange(name, value, min, max, kind);
        }

        return value;
    }

    private static OpenAiRequestException OutOfRange(string name, double value, double min, double max, string kind)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return value < min
            ? new($"Invalid '{name}': {kind} below minimum value. Expected a value >= {min.ToString(CultureInfo.InvariantCulture)}, but got {text} instead.", name, $"{kind}_below_min_value")
            : new($"Invalid '{name}': {kind} above maximum value. Expected a value <= {max.ToString(CultureInfo.InvariantCulture)}, but got {text} instead.", name, $"{kind}_above_max_value");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
