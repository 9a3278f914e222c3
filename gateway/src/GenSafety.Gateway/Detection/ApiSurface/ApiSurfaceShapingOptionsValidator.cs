using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>Checks <see cref="ApiSurfaceShapingOptions"/> at start-up and reports every problem at once.</summary>
public sealed class ApiSurfaceShapingOptionsValidator : IValidateOptions<ApiSurfaceShapingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiSurfaceShapingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = ApiSurfaceShapingOptions.SectionName;
        if (!string.IsNullOrEmpty(options.PreBiasLogprobsField))
        {
            if (options.PreBiasLogprobsField.Length > 64 || !options.PreBiasLogprobsField.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                errors.AddError($"{Section}:PreBiasLogprobsField must be 1 to 64 letters, digits or '_'.");
            }

            if (options.DropTopLogprobsWithLogitBias)
            {
                errors.AddError($"{Section}:PreBiasLogprobsField and DropTopLogprobsWithLogitBias are alternatives; set one.");
            }
        }

        if (!IsJson(options.PreBiasLogprobsValue))
        {
            errors.AddError($"{Section}:PreBiasLogprobsValue must be one JSON value (true, a number, a quoted string, an object or an array).");
        }

        return errors.Build();
    }

    private static bool IsJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
