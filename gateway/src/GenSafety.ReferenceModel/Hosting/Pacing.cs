using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Primitives;

namespace GenSafety.ReferenceModel.Hosting;

/// <summary>Delays set by options and overridden per request by headers (tests use them to provoke timeouts and prove streaming).</summary>
internal static class Pacing
{
    private const int MaxDelayMs = 600_000;

    /// <summary>Delay before response headers: header <see cref="ReferenceModelHeaders.ResponseDelayMs"/> or the option.</summary>
    public static int ResponseDelayMs(HttpContext context, ReferenceModelOptions options) =>
        Read(context, ReferenceModelHeaders.ResponseDelayMs) ?? options.ResponseDelayMs;

    /// <summary>Delay between streamed tokens: header <see cref="ReferenceModelHeaders.TokenDelayMs"/> or the option.</summary>
    public static int TokenDelayMs(HttpContext context, ReferenceModelOptions options) =>
        Read(context, ReferenceModelHeaders.TokenDelayMs) ?? options.StreamTokenDelayMs;

    private static int? Read(HttpContext context, string header)
    {
        if (!context.Request.Headers.TryGetValue(header, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        if (values.Count != 1 || !int.TryParse(values[0], out var ms) || ms < 0 || ms > MaxDelayMs)
        {
            throw new OpenAiRequestException($"Header '{header}' must be an integer number of milliseconds between 0 and {MaxDelayMs}.", header, "invalid_header");
        }

        return ms;
    }
}
