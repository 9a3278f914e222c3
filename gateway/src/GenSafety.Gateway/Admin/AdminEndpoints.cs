using System.Text.Json;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Admin;

/// <summary>Maps the admin API (<c>/admin/*</c>) on the admin listener.</summary>
public static class AdminEndpoints
{
    private const long MaxAdminBodyBytes = 64 * 1024;

    /// <summary>
    /// Adds <c>POST /admin/clients</c>, <c>GET /admin/clients/{id}</c>, <c>DELETE /admin/clients/{id}</c> and the
    /// enforcement endpoints (<see cref="EnforcementAdminEndpoints"/>).
    /// </summary>
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin").AddEndpointFilter<AdminAuthenticationFilter>().WithMetadata(AdminListenerMetadata.Instance);
        group.MapPost("/clients", CreateClientAsync);
        group.MapGet("/clients/{id}", GetClientAsync);
        group.MapDelete("/clients/{id}", DeleteClientAsync);
        group.MapEnforcementEndpoints();
        return group;
    }

    private static async Task CreateClientAsync(HttpContext context, ClientRegistry registry)
    {
        CreateClientRequest request;
        try
        {
            request = await ReadBodyAsync<CreateClientRequest>(context) ?? new CreateClientRequest();
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "The body must be a JSON object with optional string fields id, tenant, policy and name.");
            return;
        }

        try
        {
            var (client, key) = await registry.CreateAsync(request, chosenKey: null, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = $"/admin/clients/{client.ClientId}?tenant={client.Tenant}";
            await context.Response.WriteAsJsonAsync(ToResponse(client, null, key), context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, ex.Message, ex.ParamName);
        }
        catch (ClientAlreadyExistsException)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status409Conflict, ErrorCodes.Conflict,
                $"Client '{request.Id}' already exists in tenant '{request.Tenant}'.", "id");
        }
        catch (StateStoreUnavailableException)
        {
            await StateStoreDownAsync(context);
        }
    }

    private static async Task GetClientAsync(
        HttpContext context, string id, string? tenant, IClientStateStore store, IRiskStore risk, AdmissionPolicies policies, IOptions<IdentityOptions> options)
    {
        tenant ??= options.Value.DefaultTenant;
        if (!StateIds.IsValid(id) || !StateIds.IsValid(tenant))
        {
            await NotFoundAsync(context, id, tenant);
            return;
        }

        try
        {
            var client = await store.GetClientAsync(tenant, id, context.RequestAborted);
            if (client is null)
            {
                await NotFoundAsync(context, id, tenant);
                return;
            }

            var usage = await store.GetUsageAsync(tenant, id, context.RequestAborted);
            var snapshot = await risk.GetAsync(tenant, id, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(
                ToResponse(client, usage, null) with
                {
                    Limits = PolicyLimitsResponse.From(policies.Resolve(client.Policy)),
                    Enforcement = EnforcementResponse.From(snapshot),
                },
                context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            await StateStoreDownAsync(context);
        }
    }

    private static async Task DeleteClientAsync(
        HttpContext context, string id, string? tenant, ClientRegistry registry, IRiskStore risk, DetectionClientCleanup detection, IOptions<IdentityOptions> options)
    {
        tenant ??= options.Value.DefaultTenant;
        try
        {
            if (StateIds.IsValid(id) && StateIds.IsValid(tenant) && await registry.DeleteAsync(tenant, id, context.RequestAborted))
            {
                await risk.DeleteAsync(tenant, id, context.RequestAborted);
                await detection.DeleteAsync(tenant, id, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            await NotFoundAsync(context, id, tenant);
        }
        catch (StateStoreUnavailableException)
        {
            await StateStoreDownAsync(context);
        }
    }

    /// <summary>Reads a small JSON body (null when empty); throws <see cref="JsonException"/> or <see cref="InvalidDataException"/>.</summary>
    internal static async Task<T?> ReadBodyAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        if (context.Request.ContentLength > MaxAdminBodyBytes)
        {
            throw new InvalidDataException("Body too large.");
        }

        return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, cancellationToken: context.RequestAborted);
    }

    private static ClientResponse ToResponse(ClientRecord client, ClientUsage? usage, string? key) => new(
        client.ClientId, client.Tenant, client.Policy, client.DisplayName, client.CreatedAt,
        usage is null ? null : new UsageResponse(usage.Requests, usage.InputTokens, usage.OutputTokens, usage.LastSeen),
        key);

    internal static Task NotFoundAsync(HttpContext context, string id, string tenant)
        => OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No client '{id}' in tenant '{tenant}'.", "id");

    internal static Task StateStoreDownAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable, "The state store is unreachable; retry shortly.");
}
