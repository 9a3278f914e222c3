using System.Text.Json;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Admin;

/// <summary>
/// Admin endpoints of the enforcement ladder: <c>PATCH /admin/clients/{id}</c> (policy),
/// <c>PUT /admin/clients/{id}/level</c>, <c>PUT /admin/clients/{id}/risk</c>, <c>POST /admin/clients/{id}/unblock</c>
/// and <c>GET /admin/audit</c>. Every level change they cause is in the audit trail with the given reason.
/// </summary>
public static class EnforcementAdminEndpoints
{
    /// <summary>Longest reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Most audit entries one read returns.</summary>
    public const int MaxAuditCount = 1000;

    private const string Actor = "admin";

    /// <summary>Maps the endpoints on the admin group.</summary>
    public static RouteGroupBuilder MapEnforcementEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPatch("/clients/{id}", UpdateClientAsync);
        group.MapPut("/clients/{id}/level", SetLevelAsync);
        group.MapPut("/clients/{id}/risk", SetRiskAsync);
        group.MapPost("/clients/{id}/unblock", UnblockAsync);
        group.MapGet("/audit", ReadAuditAsync);
        return group;
    }

    private static Task UpdateClientAsync(
        HttpContext context, string id, string? tenant, IClientStateStore store, AdmissionPolicies policies, ClientAuthenticator authenticator,
        IOptions<IdentityOptions> options)
        => WithClientAsync<UpdateClientRequest>(context, id, tenant, store, options, async (t, body) =>
        {
            if (body?.Policy is not { } policy || !policies.Names.Contains(policy, StringComparer.OrdinalIgnoreCase))
            {
                await BadRequestAsync(context, $"'policy' must name a configured policy: {string.Join(", ", policies.Names.Order(StringComparer.Ordinal))}.", "policy");
                return;
            }

            var client = await store.SetPolicyAsync(t, id, policy, context.RequestAborted);
            authenticator.Forget(t, id);
            if (client is null)
            {
                await AdminEndpoints.NotFoundAsync(context, id, t);
                return;
            }

            await context.Response.WriteAsJsonAsync(
                new ClientResponse(client.ClientId, client.Tenant, client.Policy, client.DisplayName, client.CreatedAt, null, null)
                {
                    Limits = PolicyLimitsResponse.From(policies.Resolve(client.Policy)),
                },
                context.RequestAborted);
        });

    private static Task SetLevelAsync(HttpContext context, string id, string? tenant, IClientStateStore store, IRiskStore risk, IOptions<IdentityOptions> options)
        => WithClientAsync<SetLevelRequest>(context, id, tenant, store, options, async (t, body) =>
        {
            if (body is null || !TryLevel(body.Level, out var level))
            {
                await BadRequestAsync(context, "'level' must be 0 to 4, \"L0\" to \"L4\", or null to clear a pinned level.", "level");
                return;
            }

            if (body.DurationSeconds is { } seconds && !(seconds is > 0 and <= 366 * 86400))
            {
                await BadRequestAsync(context, "'duration_seconds' must be between 0 and one year; omit it to pin until cleared.", "duration_seconds");
                return;
            }

            if (await ReasonAsync(context, body.Reason) is not { } reason)
            {
                return;
            }

            var duration = body.DurationSeconds is { } d ? TimeSpan.FromSeconds(d) : (TimeSpan?)null;
            var snapshot = await risk.PinLevelAsync(t, id, level, duration, Actor, reason, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(EnforcementResponse.From(snapshot), context.RequestAborted);
        });

    private static Task SetRiskAsync(HttpContext context, string id, string? tenant, IClientStateStore store, IRiskStore risk, IOptions<IdentityOptions> options)
        => WithClientAsync<SetRiskRequest>(context, id, tenant, store, options, async (t, body) =>
        {
            if (body?.Risk is not (>= 0 and <= 1))
            {
                await BadRequestAsync(context, "'risk' must be a number between 0 and 1.", "risk");
                return;
            }

            if (await ReasonAsync(context, body.Reason) is not { } reason)
            {
                return;
            }

            var snapshot = await risk.SetRiskAsync(t, id, new RiskUpdate(body.Risk.Value, Actor, reason, Actor), context.RequestAborted);
            await context.Response.WriteAsJsonAsync(EnforcementResponse.From(snapshot), context.RequestAborted);
        });

    private static Task UnblockAsync(HttpContext context, string id, string? tenant, IClientStateStore store, IRiskStore risk, IOptions<IdentityOptions> options)
        => WithClientAsync<UnblockRequest>(context, id, tenant, store, options, async (t, body) =>
        {
            var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "unblocked by admin" : body.Reason.Trim();
            if (reason.Length > MaxReasonLength)
            {
                await BadRequestAsync(context, $"'reason' must be at most {MaxReasonLength} characters.", "reason");
                return;
            }

            var snapshot = await risk.UnblockAsync(t, id, Actor, reason, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(EnforcementResponse.From(snapshot), context.RequestAborted);
        });

    private static async Task ReadAuditAsync(HttpContext context, string? tenant, string? client, int? count, IRiskStore risk, IOptions<IdentityOptions> options)
    {
        tenant ??= options.Value.DefaultTenant;
        if (!StateIds.IsValid(tenant) || (client is not null && !StateIds.IsValid(client)))
        {
            await BadRequestAsync(context, "'tenant' and 'client' must be valid ids.", client is null ? "tenant" : "client");
            return;
        }

        if (count is < 1 or > MaxAuditCount)
        {
            await BadRequestAsync(context, $"'count' must be between 1 and {MaxAuditCount}.", "count");
            return;
        }

        try
        {
            var entries = await risk.ReadAuditAsync(tenant, client, count ?? 100, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(
                new
                {
                    tenant,
                    entries = entries.Select(e => new AuditEntryResponse(
                        e.Id, e.ClientId, EnforcementResponse.Name(e.From), EnforcementResponse.Name(e.To), Math.Round(e.Risk, 4), e.Actor, e.Reason, e.At)),
                },
                context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            await AdminEndpoints.StateStoreDownAsync(context);
        }
    }

    // Reads the body, checks the client exists, runs the action; bad bodies → 400, unknown client → 404, Redis down → 503.
    private static async Task WithClientAsync<TBody>(
        HttpContext context, string id, string? tenant, IClientStateStore store, IOptions<IdentityOptions> options, Func<string, TBody?, Task> action)
        where TBody : class
    {
        tenant ??= options.Value.DefaultTenant;
        TBody? body;
        try
        {
            body = await AdminEndpoints.ReadBodyAsync<TBody>(context);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            await BadRequestAsync(context, "The body must be a small JSON object as documented in docs/enforcement.md.", null);
            return;
        }

        try
        {
            if (!StateIds.IsValid(id) || !StateIds.IsValid(tenant) || await store.GetClientAsync(tenant, id, context.RequestAborted) is null)
            {
                await AdminEndpoints.NotFoundAsync(context, id, tenant);
                return;
            }

            await action(tenant, body);
        }
        catch (StateStoreUnavailableException)
        {
            await AdminEndpoints.StateStoreDownAsync(context);
        }
    }

    private static async Task<string?> ReasonAsync(HttpContext context, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            await BadRequestAsync(context, $"'reason' is required (1 to {MaxReasonLength} characters): it goes to the audit trail.", "reason");
            return null;
        }

        return reason.Trim();
    }

    private static bool TryLevel(JsonElement value, out EnforcementLevel? level)
    {
        level = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 0 and <= 4:
                level = (EnforcementLevel)n;
                return true;
            case JsonValueKind.String when LevelActions.LevelOf(value.GetString() ?? string.Empty) is { } l:
                level = (EnforcementLevel)l;
                return true;
            default:
                return false;
        }
    }

    private static Task BadRequestAsync(HttpContext context, string message, string? param)
        => OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message, param);
}
