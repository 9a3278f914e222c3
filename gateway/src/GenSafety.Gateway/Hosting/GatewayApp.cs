using GenSafety.Gateway.Admin;
using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Health;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Telemetry;
using Prometheus;

namespace GenSafety.Gateway.Hosting;

/// <summary>Builds the gateway host: services from configuration, then the request pipeline of both listeners.</summary>
public static class GatewayApp
{
    /// <summary>Creates a builder with every gateway service registered. <paramref name="args"/> are the usual host arguments (<c>--Key=value</c> overrides).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddGenSafetyGateway(builder.Configuration);
        return builder;
    }

    /// <summary>Builds the application and its pipeline.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        GatewayPrometheus.Configure();
        var app = builder.Build();
        OptionsStartupCheck.ThrowIfInvalid(app.Services);
        var ports = app.Services.GetRequiredService<ListenerPorts>();

        app.UseWhen(context => !ports.IsAdmin(context.Connection.LocalPort), publicPipeline => publicPipeline.UseMiddleware<GatewayTelemetryMiddleware>());
        app.UseRouting();
        app.UseMiddleware<ListenerGuardMiddleware>();
        app.UseRequestTimeouts();

        app.MapHealthEndpoints();
        app.MapAdminEndpoints();
        app.MapProtectedCorpusEndpoints();
        app.MapDatasetInferenceEndpoints();
        app.MapProvenanceEndpoints();
        app.MapMetrics("/metrics").WithMetadata(AdminListenerMetadata.Instance);
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<IdentityMiddleware>();
            proxy.UseMiddleware<RequestBodyMiddleware>();
            proxy.UseMiddleware<DetectionMiddleware>();
            proxy.UseMiddleware<AdmissionMiddleware>();
            proxy.UseProvenanceShaping();
            proxy.UseMiddleware<ForwarderErrorMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
