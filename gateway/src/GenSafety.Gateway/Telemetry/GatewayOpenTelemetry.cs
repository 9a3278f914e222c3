using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics over OTLP, configured only by the standard <c>OTEL_*</c> variables
/// (endpoint, protocol, headers, sampler, service name, resource attributes). Each signal is exported when its
/// exporter is <c>otlp</c>, or when it is unset and an OTLP endpoint is given; without either nothing is
/// registered, so a gateway without a collector pays nothing and logs no export failures.
/// </summary>
public static class GatewayOpenTelemetry
{
    /// <summary><c>service.name</c> when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public const string DefaultServiceName = "gensafety-gateway";

    /// <summary>Whether traces and metrics go out over OTLP, read from <c>OTEL_*</c> keys of <paramref name="configuration"/>.</summary>
    public static (bool Traces, bool Metrics) Exports(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return (false, false);
        }

        var anyEndpoint = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        return (
            Exported(configuration["OTEL_TRACES_EXPORTER"], anyEndpoint || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])),
            Exported(configuration["OTEL_METRICS_EXPORTER"], anyEndpoint || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"])));
    }

    /// <summary>Registers the OpenTelemetry SDK for the signals <see cref="Exports"/> turns on.</summary>
    public static IServiceCollection AddGatewayOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var (traces, metrics) = Exports(configuration);
        if (!traces && !metrics)
        {
            return services;
        }

        var builder = services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            builder.ConfigureResource(resource => resource.AddService(DefaultServiceName));
        }

        if (traces)
        {
            // ASP.NET Core's and HttpClient's own sources give the server span (with the caller's traceparent) and
            // the client span to the upstream; the gateway's spans nest between them.
            builder.WithTracing(tracing => tracing
                .AddSource(GatewayTracing.SourceName, "Microsoft.AspNetCore", "System.Net.Http")
                .AddOtlpExporter());
        }

        if (metrics)
        {
            builder.WithMetrics(meters => meters
                .AddMeter(GatewayPrometheus.MeterPrefix + "*", "System.Runtime")
                .AddOtlpExporter());
        }

        return services;
    }

    private static bool Exported(string? exporter, bool endpointGiven)
        => string.IsNullOrWhiteSpace(exporter)
            ? endpointGiven
            : exporter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase);
}
