using GenSafety.Gateway.Errors;

namespace GenSafety.Gateway.Hosting;

/// <summary>
/// Keeps the two listeners apart: endpoints marked <see cref="AdminListenerMetadata"/> answer only on the Admin
/// port, everything else only on the Public port. Runs after routing; the check is on the local port, which a
/// client cannot forge the way it can a Host header.
/// </summary>
internal sealed class ListenerGuardMiddleware
{
    // Routing's stand-in endpoint when the path matches but the method does not; it would answer with an empty body.
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;

    public ListenerGuardMiddleware(RequestDelegate next, ListenerPorts ports)
    {
        _next = next;
        _ports = ports;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var onAdminPort = _ports.IsAdmin(context.Connection.LocalPort);
        var endpoint = context.GetEndpoint();
        var isAdminEndpoint = endpoint?.Metadata.GetMetadata<AdminListenerMetadata>() is not null;
        if (endpoint is not null && onAdminPort == isAdminEndpoint)
        {
            return endpoint.DisplayName == MethodNotAllowedEndpoint
                ? OpenAIError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, ErrorCodes.InvalidRequest,
                    $"Method {context.Request.Method} is not allowed on {context.Request.Path}.")
                : _next(context);
        }

        return OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound,
            $"Unknown route: {context.Request.Method} {context.Request.Path}.");
    }
}
