using System.Globalization;

namespace GenSafety.LoadTests.Cli;

/// <summary>
/// Reads <c>--name value</c> and <c>--name=value</c> options. The token after <c>--name</c> is taken
/// verbatim, so values that themselves start with <c>--</c> (gateway arguments) pass through.
/// Every problem is collected so that one run reports them all.
/// </summary>
internal sealed class ArgReader
{
    private readonly List<(string Name, string? Value)> _options = [];
    private readonly HashSet<string> _consumed = [];

    public ArgReader(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Errors.Add($"unexpected argument '{arg}'");
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                _options.Add((arg[2..eq], arg[(eq + 1)..]));
            }
            else if (flags.Contains(arg[2..]))
            {
                _options.Add((arg[2..], null));
            }
            else if (i + 1 < args.Count)
            {
                _options.Add((arg[2..], args[++i]));
            }
            else
            {
                Errors.Add($"option '{arg}' needs a value");
            }
        }
    }

    public List<string> Errors { get; } = [];

    public bool Flag(string name)
    {
        _consumed.Add(name);
        return _options.Any(o => o.Name == name);
    }

    public IReadOnlyList<string> All(string name)
    {
        _consumed.Add(name);
        return [.. _options.Where(o => o.Name == name && o.Value is not null).Select(o => o.Value!)];
    }

    public string String(string name, string fallback) => Last(name) ?? fallback;

    public string? OptionalString(string name) => Last(name);

    public int Int(string name, int fallback, int min, int max) => Parsed(
        name,
        fallback,
        (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
        value => value >= min && value <= max,
        $"an integer in [{min}, {max}]");

    public double Double(string name, double fallback, double min, double max) => Parsed(
        name,
        fallback,
        (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
        value => value >= min && value <= max,
        $"a number in [{min}, {max}]");

    /// <summary>Durations: "15" or "15s" (seconds), "500ms", "2m".</summary>
    public TimeSpan Duration(string name, TimeSpan fallback, TimeSpan min, TimeSpan max) => Parsed(
        name,
        fallback,
        TryParseDuration,
        value => value >= min && value <= max,
        $"a duration in [{min.TotalSeconds} s, {max.TotalSeconds} s] (e.g. 15, 15s, 500ms, 2m)");

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback, IReadOnlyList<string> allowed)
    {
        var text = Last(name);
        if (text is null)
        {
            return fallback;
        }

        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = items.Where(i => !allowed.Contains(i)).ToList();
        if (unknown.Count > 0 || items.Length == 0)
        {
            Errors.Add($"--{name} takes a comma-separated subset of {string.Join(",", allowed)}, got '{text}'");
            return fallback;
        }

        // Keep the canonical order so that reports line up between runs.
        return [.. allowed.Where(items.Contains)];
    }

    public string Choice(string name, string fallback, IReadOnlyList<string> allowed)
    {
        var text = Last(name);
        if (text is null)
        {
            return fallback;
        }

        if (!allowed.Contains(text))
        {
            Errors.Add($"--{name} must be one of {string.Join(", ", allowed)}, got '{text}'");
            return fallback;
        }

        return text;
    }

    /// <summary>Adds an error for every option that no reader asked for (typos).</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Select(o => o.Name).Distinct().Where(n => !_consumed.Contains(n)))
        {
            Errors.Add($"unknown option '--{name}'");
        }
    }

    private delegate bool TryParser<T>(string text, out T value);

    private T Parsed<T>(string name, T fallback, TryParser<T> parse, Func<T, bool> isValid, string expected)
    {
        var text = Last(name);
        if (text is null)
        {
            return fallback;
        }

        if (!parse(text, out var value) || !isValid(value))
        {
            Errors.Add($"--{name} must be {expected}, got '{text}'");
            return fallback;
        }

        return value;
    }

    private string? Last(string name)
    {
        _consumed.Add(name);
        for (var i = _options.Count - 1; i >= 0; i--)
        {
            if (_options[i].Name == name)
            {
                return _options[i].Value;
            }
        }

        return null;
    }

    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        var ok = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount);
        value = ok ? TimeSpan.FromSeconds(amount * scale) : TimeSpan.Zero;
        return ok;
    }
}
