using System.Security.Cryptography;

namespace GenSafety.Gateway.Telemetry;

/// <summary>Request ids: the client's <c>x-request-id</c> when it is short and plain, otherwise a fresh one.</summary>
public static class RequestIds
{
    private const int MaxLength = 64;

    /// <summary>Returns the client's id when acceptable, else a new <c>req_</c> id.</summary>
    public static string FromClient(string? clientValue)
    {
        if (!string.IsNullOrEmpty(clientValue) && clientValue.Length <= MaxLength && IsPlain(clientValue))
        {
            return clientValue;
        }

        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return "req_" + Convert.ToHexStringLower(random);
    }

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
