using GenSafety.Gateway.Telemetry;
using Microsoft.Extensions.Configuration;

namespace GenSafety.Gateway.Tests.Telemetry;

public sealed class GatewayOpenTelemetryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs)
        => new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void Nothing_is_exported_without_an_endpoint_or_exporter()
        => Assert.Equal((false, false), GatewayOpenTelemetry.Exports(Config()));

    [Fact]
    public void An_OTLP_endpoint_turns_on_traces_and_metrics()
        => Assert.Equal((true, true), GatewayOpenTelemetry.Exports(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"))));

    [Fact]
    public void A_signal_endpoint_turns_on_that_signal_only()
    {
        Assert.Equal((true, false), GatewayOpenTelemetry.Exports(Config(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"))));
        Assert.Equal((false, true), GatewayOpenTelemetry.Exports(Config(("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4318/v1/metrics"))));
    }

    [Fact]
    public void Exporter_none_wins_over_an_endpoint_and_otlp_needs_no_endpoint()
    {
        Assert.Equal((false, true), GatewayOpenTelemetry.Exports(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_TRACES_EXPORTER", "none"))));
        Assert.Equal((true, false), GatewayOpenTelemetry.Exports(Config(("OTEL_TRACES_EXPORTER", "console, otlp"))));
    }

    [Fact]
    public void Sdk_disabled_turns_everything_off()
        => Assert.Equal((false, false), GatewayOpenTelemetry.Exports(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_SDK_DISABLED", "TRUE"))));
}
