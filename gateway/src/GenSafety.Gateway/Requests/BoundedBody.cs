using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace GenSafety.Gateway.Requests;

/// <summary>
/// Reads a request body into memory up to a cap, for the proxied routes (<see cref="RequestBodyMiddleware"/>) and
/// the gateway's own JSON endpoints. Throws what Kestrel throws for a broken body (<see cref="BadHttpRequestException"/>,
/// <see cref="EndOfStreamException"/> when it is shorter than its Content-Length); the caller turns those into errors.
/// </summary>
internal static class BoundedBody
{
    /// <summary>Lets the caller's cap decide: Kestrel's default (30 MB) must not cut in first with a different error.</summary>
    public static void LiftServerLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="cap"/> (checked first on Content-Length by the caller).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long cap, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (collected.Length + read > cap)
                {
                    return null;
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
