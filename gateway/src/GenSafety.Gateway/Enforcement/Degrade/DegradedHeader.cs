namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// The <c>x-gensafety-degraded</c> response header: a comma-separated list of <see cref="DegradeChanges"/> names
/// telling the client its request or response was degraded. Request shaping and the response transforms each add
/// their names; duplicates are listed once.
/// </summary>
public static class DegradedHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "x-gensafety-degraded";

    /// <summary>
    /// Adds <paramref name="changes"/> to the header. Does nothing once the response has started (headers sent).
    /// </summary>
    public static void Append(HttpResponse response, IEnumerable<string> changes)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(changes);
        if (response.HasStarted)
        {
            return;
        }

        var listed = new List<string>();
        foreach (var value in response.Headers[Name])
        {
            foreach (var item in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                AddOnce(listed, item);
            }
        }

        var before = listed.Count;
        foreach (var change in changes)
        {
            AddOnce(listed, change);
        }

        if (listed.Count > before)
        {
            response.Headers[Name] = string.Join(',', listed);
        }
    }

    private static void AddOnce(List<string> listed, string item)
    {
        if (!listed.Contains(item))
        {
            listed.Add(item);
        }
    }
}
