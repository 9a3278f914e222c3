namespace GenSafety.Gateway.Identity;

/// <summary>Shape of tenant, client and policy identifiers: 1-64 ASCII letters, digits, '-' or '_' (safe in Redis keys and URLs).</summary>
public static class ClientIdRules
{
    /// <summary>Longest identifier.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="value"/> is a valid identifier.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
