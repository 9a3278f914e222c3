namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>What <see cref="DegradeRequestShaper"/> decided for one request.</summary>
public sealed class DegradeShapingResult
{
    private DegradeShapingResult(byte[]? body, IReadOnlyList<string> changes, DegradeRejection? rejection)
    {
        Body = body;
        Changes = changes;
        Rejection = rejection;
    }

    /// <summary>The request needs no change; forward the original bytes.</summary>
    public static DegradeShapingResult Unchanged { get; } = new(null, [], null);

    /// <summary>The rewritten UTF-8 JSON body, or <see langword="null"/> when unchanged or rejected.</summary>
    public byte[]? Body { get; }

    /// <summary>The <see cref="DegradeChanges"/> names applied, in the order the fields appeared; empty unless rewritten.</summary>
    public IReadOnlyList<string> Changes { get; }

    /// <summary>The error to answer with instead of forwarding, or <see langword="null"/>.</summary>
    public DegradeRejection? Rejection { get; }

    /// <summary>Whether the request must be forwarded as is.</summary>
    public bool IsUnchanged => Body is null && Rejection is null;

    /// <summary>A rewritten request.</summary>
    public static DegradeShapingResult Rewritten(byte[] body, IReadOnlyList<string> changes)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(changes);
        return new DegradeShapingResult(body, changes, null);
    }

    /// <summary>A refused request.</summary>
    public static DegradeShapingResult Rejected(DegradeRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new DegradeShapingResult(null, [], rejection);
    }
}

/// <summary>An OpenAI-shaped error that replaces a degraded request (write it with <c>OpenAIError.WriteAsync</c>).</summary>
/// <param name="StatusCode">HTTP status for the client.</param>
/// <param name="Code">Error code (<c>error.code</c>).</param>
/// <param name="Param">The offending request field (<c>error.param</c>).</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record DegradeRejection(int StatusCode, string Code, string Param, string Message);
