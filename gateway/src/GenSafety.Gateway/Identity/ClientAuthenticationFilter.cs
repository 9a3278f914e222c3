namespace GenSafety.Gateway.Identity;

/// <summary>
/// Client-key authentication for the gateway's own public endpoints (dataset inference, verification): the same
/// checks and errors as the proxied path (<see cref="IdentityMiddleware"/>); the identity goes into the request features.
/// </summary>
internal sealed class ClientAuthenticationFilter(ClientAuthenticator authenticator, ILogger<ClientAuthenticationFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (await IdentityMiddleware.AuthenticateOrRejectAsync(context.HttpContext, authenticator, logger) is not { } identity)
        {
            return null;
        }

        context.HttpContext.Features.Set(identity);
        return await next(context);
    }
}
