using System.Security.Cryptography;
using System.Text;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GenSafety.Gateway.Admin;

/// <summary>Requires <c>Authorization: Bearer &lt;admin token&gt;</c> on admin endpoints, compared in constant time.</summary>
internal sealed class AdminAuthenticationFilter : IEndpointFilter
{
    private readonly byte[] _tokenDigest;

    public AdminAuthenticationFilter(IOptions<AdminOptions> options)
    {
        _tokenDigest = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ResolveToken() ?? string.Empty));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = IdentityMiddleware.BearerToken(context.HttpContext.Request.Headers[HeaderNames.Authorization].ToString());
        // Comparing digests keeps the comparison constant-time even when lengths differ.
        if (presented is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenDigest))
        {
            await OpenAIError.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidAdminToken,
                "The admin API needs 'Authorization: Bearer <admin token>'.");
            return null;
        }

        return await next(context);
    }
}
