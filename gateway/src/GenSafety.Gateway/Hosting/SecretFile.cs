namespace GenSafety.Gateway.Hosting;

/// <summary>
/// Secrets come from configuration (environment variables in practice) or from a file named by a sibling
/// <c>...File</c> key, which is how Kubernetes mounts secrets. Never from the appsettings in the repository.
/// </summary>
public static class SecretFile
{
    /// <summary>Returns <paramref name="value"/> when set, else the trimmed content of <paramref name="path"/> when set.</summary>
    /// <exception cref="InvalidOperationException">The file is named but cannot be read.</exception>
    public static string? Resolve(string? value, string? path, string keyName)
    {
        if (!string.IsNullOrEmpty(value) || string.IsNullOrEmpty(path))
        {
            return value;
        }

        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Secret file for '{keyName}' could not be read: {ex.Message}", ex);
        }
    }
}
