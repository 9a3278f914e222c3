using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Health;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Forwarder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one place where the gateway's services are wired.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Registers options (validated at start), state, identity, admission, detection, proxy and telemetry services.</summary>
    public static IServiceCollection AddGenSafetyGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ListenerPorts(configuration));

        services.AddOptionsWithValidateOnStart<AdminOptions, AdminOptionsValidator>().Bind(configuration.GetSection(AdminOptions.SectionName));
        services.AddOptionsWithValidateOnStart<IdentityOptions, IdentityOptionsValidator>().Bind(configuration.GetSection(IdentityOptions.SectionName));
        services.AddOptionsWithValidateOnStart<ProxyOptions, ProxyOptionsValidator>().Bind(configuration.GetSection(ProxyOptions.SectionName));

        services.AddClientStateStore(configuration);
        services.AddAdmission(configuration);
        services.AddDetection(configuration);
        services.AddDatasetInference(configuration);
        services.AddGatewayMemorization(configuration);
        services.AddProvenance(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamTransform, StreamedUsageTransform>());
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<AdminAuthenticationFilter>();
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GenAiMetrics>();
        services.AddGatewayOpenTelemetry(configuration);

        services.AddSingleton<JsonResponseHandler>();
        services.AddSingleton<StreamResponseHandler>();
        services.AddSingleton<IForwarderHttpClientFactory, TimedForwarderHttpClientFactory>();
        services.AddRequestTimeouts();
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms<GatewayTransformProvider>();
        return services;
    }
}
