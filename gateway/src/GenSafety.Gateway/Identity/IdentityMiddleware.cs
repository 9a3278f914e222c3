using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Telemetry;
using Microsoft.Net.Http.Headers;

namespace GenSafety.Gateway.Identity;

/// <summary>
/// First step of the proxied request path: <c>Authorization: Bearer &lt;client key&gt;</c> → <see cref="ClientIdentity"/>
/// in the request features, or <c>401 invalid_api_key</c>.
/// </summary>
internal sealed partial class IdentityMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ClientAuthenticator _authenticator;
    private readonly ILogger<IdentityMiddleware> _logger;

    public IdentityMiddleware(RequestDelegate next, ClientAuthenticator authenticator, ILogger<IdentityMiddleware> logger)
    {
        _next = next;
        _authenticator = authenticator;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ClientIdentity? identity;
        using (var span = GatewayTracing.Start(GatewayTracing.Identity))
        {
            identity = await AuthenticateOrRejectAsync(context, _authenticator, _logger);
            span?.SetTag("gensafety.authenticated", identity is not null);
        }

        if (identity is not null)
        {
            context.Features.Set(identity);
            await _next(context);
        }
    }

    /// <summary>
    /// The identity behind the request's client key, or null after writing the error (<c>401 invalid_api_key</c>, or
    /// <c>503</c> when keys cannot be checked). Shared by the proxied path and the gateway's own <c>/v1</c> endpoints.
    /// </summary>
    internal static async Task<ClientIdentity?> AuthenticateOrRejectAsync(HttpContext context, ClientAuthenticator authenticator, ILogger logger)
    {
        var key = BearerToken(context.Request.Headers[HeaderNames.Authorization].ToString());
        if (key is null)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
            return null;
        }

        var (status, identity) = await authenticator.AuthenticateAsync(key, context.RequestAborted);
        switch (status)
        {
            case AuthenticationStatus.Authenticated:
                return identity;
            case AuthenticationStatus.StateStoreUnavailable:
                LogStateStoreUnavailable(logger);
                await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                    "The gateway cannot check API keys right now; retry shortly.");
                return null;
            default:
                await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                    "Incorrect API key provided.");
                return null;
        }
    }

    /// <summary>The token of a <c>Bearer</c> authorization header, or <see langword="null"/>.</summary>
    internal static string? BearerToken(string header)
    {
        const string Scheme = "Bearer ";
        if (header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header.AsSpan(Scheme.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "State store unavailable while authenticating a client key")]
    private static partial void LogStateStoreUnavailable(ILogger logger);
}
