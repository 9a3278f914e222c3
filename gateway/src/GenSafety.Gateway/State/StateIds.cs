using System.Buffers;

namespace GenSafety.Gateway.State;

/// <summary>
/// Rules for tenant, client and key ids. They become parts of Redis keys, so they are restricted to
/// ASCII letters, digits, '-' and '_' (no ':' that could forge another key's name).
/// </summary>
public static class StateIds
{
    /// <summary>Longest id accepted.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Whether <paramref name="value"/> is a well-formed id.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="value"/> is a well-formed id.</summary>
    public static void Validate(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"'{paramName}' must be 1 to {MaxLength} ASCII letters, digits, '-' or '_'.", paramName);
        }
    }

    /// <summary>Validates a client and its first key, which must belong to that client.</summary>
    public static void ValidateNewClient(ClientRecord client, ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(key);
        Validate(client.Tenant, "client.Tenant");
        Validate(client.ClientId, "client.ClientId");
        Validate(key.KeyId, "key.KeyId");
        ArgumentNullException.ThrowIfNull(client.Policy, "client.Policy");
        ArgumentNullException.ThrowIfNull(client.DisplayName, "client.DisplayName");
        ArgumentNullException.ThrowIfNull(key.Salt, "key.Salt");
        ArgumentNullException.ThrowIfNull(key.SecretHash, "key.SecretHash");
        if (!string.Equals(key.Tenant, client.Tenant, StringComparison.Ordinal)
            || !string.Equals(key.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The key must belong to the client being created.", nameof(key));
        }
    }

    /// <summary>Throws unless the token counts of a usage record are non-negative.</summary>
    public static void ValidateUsage(long inputTokens, long outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
    }
}
