
namespace GenSafety.Gateway.Hosting;

/// <summary>The ports of the Kestrel endpoints named <c>Public</c> and <c>Admin</c>, read from configuration.</summary>
public sealed class ListenerPorts
{
    /// <summary>Default public URL.</summary>
    public const string DefaultPublicUrl = "http://0.0.0.0:8080";

    /// <summary>Default admin URL.</summary>
    public const string DefaultAdminUrl = "http://0.0.0.0:9090";

    /// <summary>Reads the ports from <c>Kestrel:Endpoints:{Public,Admin}:Url</c>.</summary>
    public ListenerPorts(IConfiguration configuration)
    {
        PublicUrl = configuration["Kestrel:Endpoints:Public:Url"] ?? DefaultPublicUrl;
        AdminUrl = configuration["Kestrel:Endpoints:Admin:Url"] ?? DefaultAdminUrl;
        PublicPort = PortOf(PublicUrl, "Public");
        AdminPort = PortOf(AdminUrl, "Admin");
        if (PublicPort == AdminPort)
        {
            throw new InvalidOperationException($"Kestrel:Endpoints:Public and Admin must listen on different ports (both use {AdminPort}).");
        }
    }

    /// <summary>Public listener URL.</summary>
    public string PublicUrl { get; }

    /// <summary>Admin listener URL.</summary>
    public string AdminUrl { get; }

    /// <summary>Public port.</summary>
    public int PublicPort { get; }

    /// <summary>Admin port.</summary>
    public int AdminPort { get; }

    /// <summary>Whether a local port is the admin listener's.</summary>
    public bool IsAdmin(int localPort) => localPort == AdminPort;

    private static int PortOf(string url, string name)
    {
        // Kestrel accepts wildcard hosts ('*', '+') that Uri does not; the port is all we need.
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new InvalidOperationException($"Kestrel:Endpoints:{name}:Url '{url}' must be an absolute URL with an explicit, non-zero port.");
        }

        return uri.Port;
    }
}
