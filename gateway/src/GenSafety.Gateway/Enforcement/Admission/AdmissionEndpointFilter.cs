namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Admission for the gateway's own public endpoints (verification): the proxied path's <see cref="AdmissionMiddleware"/>
/// run as an endpoint filter after client authentication, so a verification counts against the client's request limits
/// and meets its enforcement level (delay, proof-of-work, block) like any other request, and answers carry the same
/// <c>x-ratelimit-*</c> headers. It carries no tokens. One middleware instance per endpoint; the endpoint's
/// continuation travels in the request's items.
/// </summary>
internal sealed class AdmissionEndpointFilter : IEndpointFilter
{
    private static readonly object ContinuationKey = new();

    private readonly AdmissionMiddleware _admission;

    /// <summary>Creates the filter over the application's admission services.</summary>
    public AdmissionEndpointFilter(IServiceProvider services) =>
        _admission = ActivatorUtilities.CreateInstance<AdmissionMiddleware>(services, (RequestDelegate)Continue);

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        object? result = null;
        context.HttpContext.Items[ContinuationKey] = (Func<Task>)(async () => result = await next(context));
        await _admission.InvokeAsync(context.HttpContext);
        return result;
    }

    private static Task Continue(HttpContext context) => ((Func<Task>)context.Items[ContinuationKey]!)();
}
