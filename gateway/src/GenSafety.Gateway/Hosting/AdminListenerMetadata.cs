namespace GenSafety.Gateway.Hosting;

/// <summary>Endpoint metadata: this endpoint is served on the Admin listener only.</summary>
public sealed class AdminListenerMetadata
{
    /// <summary>The shared instance.</summary>
    public static AdminListenerMetadata Instance { get; } = new();

    private AdminListenerMetadata()
    {
    }
}
