using System.Text.Json;
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

    /// <summary>Adds <c>POST /admin/clients</c>, <c>GET /admin/clients/{id}</c> and <c>DELETE /admin/clients/{id}</c>.</summary>
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin").AddEndpointFilter<AdminAuthenticationFilter>().WithMetadata(AdminListenerMetadata.Instance);
        group.MapPost("/clients", CreateClientAsync);
        group.MapGet("/clients/{id}", GetClientAsync);
        group.MapDelete("/clients/{id}", DeleteClientAsync);
        return group;
    }

    private static async Task CreateClientAsync(HttpContext context, ClientRegistry registry)
    {
        CreateClientRequest request;
        try
        {
            request = await ReadBodyAsync(context) ?? new CreateClientRequest();
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

    private static async Task GetClientAsync(HttpContext context, string id, string? tenant, IClientStateStore store, IOptions<IdentityOptions> options)
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
            await context.Response.WriteAsJsonAsync(ToResponse(client, usage, null), context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            await StateStoreDownAsync(context);
        }
    }

    private static async Task DeleteClientAsync(HttpContext context, string id, string? tenant, ClientRegistry registry, IOptions<IdentityOptions> options)
    {
        tenant ??= options.Value.DefaultTenant;
        try
        {
            if (StateIds.IsValid(id) && StateIds.IsValid(tenant) && await registry.DeleteAsync(tenant, id, context.RequestAborted))
            {
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

    private static async Task<CreateClientRequest?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        if (context.Request.ContentLength > MaxAdminBodyBytes)
        {
            throw new InvalidDataException("Body too large.");
        }

        return await JsonSerializer.DeserializeAsync<CreateClientRequest>(context.Request.Body, cancellationToken: context.RequestAborted);
    }

    private static ClientResponse ToResponse(ClientRecord client, ClientUsage? usage, string? key) => new(
        client.ClientId, client.Tenant, client.Policy, client.DisplayName, client.CreatedAt,
        usage is null ? null : new UsageResponse(usage.Requests, usage.InputTokens, usage.OutputTokens, usage.LastSeen),
        key);

    private static Task NotFoundAsync(HttpContext context, string id, string tenant)
        => OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No client '{id}' in tenant '{tenant}'.", "id");

    private static Task StateStoreDownAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable, "The state store is unreachable; retry shortly.");
}
