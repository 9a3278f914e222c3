using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Requests;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

/// <summary>Requests, contexts and outcomes shared by the degrade tests.</summary>
internal static class DegradeTestData
{
    public static ProxyRequest Request(string routeKind, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return new ProxyRequest(routeKind, body, JsonDocument.Parse(body));
    }

    public static EnforcementOutcome Degrading(double coverage = 0) =>
        new(EnforcementLevel.Degrade, 0.6, coverage, EnforcementActions.Delay | EnforcementActions.Degrade);

    public static DefaultHttpContext Context(EnforcementOutcome? outcome, ProxyRequest? request = null)
    {
        var context = new DefaultHttpContext();
        if (outcome is not null)
        {
            context.Features.Set(outcome);
        }

        if (request is not null)
        {
            context.Features.Set(request);
        }

        return context;
    }
}
