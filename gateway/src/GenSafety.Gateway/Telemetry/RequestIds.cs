namespace GenSafety.Gateway.Telemetry;

/// <summary>Request ids: the client's <c>x-request-id</c> when it is short and plain, otherwise the server's own id.</summary>
public static class RequestIds
{
    private const int MaxLength = 64;

    /// <summary>Returns the client's id when acceptable, else <paramref name="serverId"/> (Kestrel's per-request id, unique per process).</summary>
    public static string Choose(string? clientValue, string serverId)
        => !string.IsNullOrEmpty(clientValue) && clientValue.Length <= MaxLength && IsPlain(clientValue) ? clientValue : serverId;

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
