using System.Text.Json;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Requests;

/// <summary>Checks a parsed request body against <see cref="OpenAIRequestRules"/> and a few structural rules.</summary>
public static class OpenAIRequestValidator
{
    /// <summary>Returns the first problem found, or <see langword="null"/> when the body is acceptable.</summary>
    public static RequestValidationError? Validate(string routeKind, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new RequestValidationError("The request body must be a JSON object.", null);
        }

        foreach (var rule in OpenAIRequestRules.For(routeKind))
        {
            if (!root.TryGetProperty(rule.Name, out var value))
            {
                if (rule.Required)
                {
                    return new RequestValidationError($"Missing required parameter: '{rule.Name}'.", rule.Name);
                }

                continue;
            }

            if (!rule.Kinds.Matches(value))
            {
                return new RequestValidationError($"Invalid type for '{rule.Name}': expected {rule.Kinds.Describe()}, but got {Describe(value)}.", rule.Name);
            }

            if (value.ValueKind == JsonValueKind.Number && OutOfRange(rule, value.GetDouble()))
            {
                return new RequestValidationError($"Invalid value for '{rule.Name}': must be {RangeText(rule)}.", rule.Name);
            }
        }

        return routeKind switch
        {
            RouteKinds.ChatCompletions => ValidateMessages(root.GetProperty("messages")),
            RouteKinds.Embeddings => ValidateNonEmpty(root.GetProperty("input"), "input"),
            RouteKinds.Completions => ValidateNonEmpty(root.GetProperty("prompt"), "prompt"),
            _ => null,
        };
    }

    private static RequestValidationError? ValidateMessages(JsonElement messages)
    {
        if (messages.GetArrayLength() == 0)
        {
            return new RequestValidationError("'messages' must contain at least one message.", "messages");
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return new RequestValidationError($"Invalid type for 'messages[{index}]': expected an object, but got {Describe(message)}.", $"messages[{index}]");
            }

            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return new RequestValidationError($"'messages[{index}].role' is required and must be a string.", $"messages[{index}].role");
            }

            if (message.TryGetProperty("content", out var content)
                && content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
            {
                return new RequestValidationError($"Invalid type for 'messages[{index}].content': expected a string or an array, but got {Describe(content)}.", $"messages[{index}].content");
            }

            index++;
        }

        return null;
    }

    private static RequestValidationError? ValidateNonEmpty(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0
            ? new RequestValidationError($"'{name}' must not be an empty array.", name)
            : null;

    private static bool OutOfRange(FieldRule rule, double value)
        => (rule.Minimum is { } min && value < min) || (rule.Maximum is { } max && value > max);

    private static string RangeText(FieldRule rule) => (rule.Minimum, rule.Maximum) switch
    {
        ({ } min, { } max) => $"between {min} and {max}",
        ({ } min, null) => $"at least {min}",
        (null, { } max) => $"at most {max}",
        _ => "a number",
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };
}
