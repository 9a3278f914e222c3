using GenSafety.Gateway.Errors;
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
        var key = BearerToken(context.Request.Headers[HeaderNames.Authorization].ToString());
        if (key is null)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
            return;
        }

        var (status, identity) = await _authenticator.AuthenticateAsync(key, context.RequestAborted);
        switch (status)
        {
            case AuthenticationStatus.Authenticated:
                context.Features.Set(identity);
                await _next(context);
                return;
            case AuthenticationStatus.StateStoreUnavailable:
                LogStateStoreUnavailable(_logger);
                await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                    "The gateway cannot check API keys right now; retry shortly.");
                return;
            default:
                await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                    "Incorrect API key provided.");
                return;
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
