using GenSafety.Deployment.Tests.Infrastructure;

namespace GenSafety.Deployment.Tests.Monitoring;

/// <summary>
/// Every PromQL expression of the dashboards and alert rules, evaluated by a real Prometheus that scraped a loaded
/// gateway: each parses and evaluates; each dashboard query, and what each alert compares, returns series; each metric an
/// expression reads exists (or, for the few that only appear when something fails, is at least documented).
/// </summary>
public sealed class PrometheusQueryTests : IClassFixture<LoadedGatewayFixture>
{
    // Series that appear only on failures this test does not cause (a Redis outage, a full ledger queue).
    private static readonly HashSet<string> FailureOnlyMetrics = new(StringComparer.Ordinal)
    {
        "gensafety_gateway_state_gensafety_state_errors",
        "gensafety_gateway_provenance_gensafety_provenance_ledger_shed",
    };

    private readonly LoadedGatewayFixture _fixture;

    public PrometheusQueryTests(LoadedGatewayFixture fixture) => _fixture = fixture;

    public static TheoryData<MonitoringExpression> Expressions() => new(MonitoringExpressions.All());

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task Expression_parses_and_returns_data(MonitoringExpression expression)
    {
        var (status, error, result) = await _fixture.Prometheus.QueryAsync(expression.Expression);

        Assert.True(status == "success", $"{expression.Source}: {error}");
        var readsFailureOnly = MonitoringExpressions.MetricNames(expression.Expression).Any(FailureOnlyMetrics.Contains);
        if (!expression.IsAlert)
        {
            Assert.True(result.Length > 0, $"{expression.Source} returned no series: {expression.Expression}; the gateway exports {await ExportedAsync()}");
        }
        else if (!readsFailureOnly)
        {
            // A quiet alert returns nothing; what it compares must still have data.
            var compared = expression.WithoutThresholds();
            var (_, _, values) = await _fixture.Prometheus.QueryAsync(compared);
            Assert.True(values.Length > 0, $"{expression.Source}: {compared} returned no series");
        }

        foreach (var metric in MonitoringExpressions.MetricNames(expression.Expression).Where(m => !FailureOnlyMetrics.Contains(m)))
        {
            var (_, _, series) = await _fixture.Prometheus.QueryAsync($"count({{__name__=~\"{metric}(_bucket|_count|_sum)?\"}})");
            Assert.True(series.Length > 0, $"{expression.Source} reads {metric}, which the loaded gateway does not export; it exports {await ExportedAsync()}");
        }
    }

    private async Task<string> ExportedAsync()
    {
        var (_, _, names) = await _fixture.Prometheus.QueryAsync("group by (__name__) ({__name__=~\"gensafety.*|gen_ai.*\"})");
        return string.Join(", ", names.Select(n => n.GetProperty("metric").GetProperty("__name__").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Metrics_seen_only_on_failures_are_documented()
    {
        var doc = File.ReadAllText(RepoPaths.OperationsDoc);
        foreach (var metric in FailureOnlyMetrics)
        {
            Assert.Contains(metric, doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prometheus_loads_every_alert_rule_and_evaluates_it_without_error()
    {
        var rules = (await _fixture.Prometheus.RulesAsync()).EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();

        Assert.Equal(MonitoringExpressions.Alerts().Count(), rules.Length);
        Assert.All(rules, rule => Assert.True(rule.GetProperty("health").GetString() is "ok" or "unknown",
            $"{rule.GetProperty("name").GetString()}: {(rule.TryGetProperty("lastError", out var e) ? e.GetString() : null)}"));
    }

    [Fact]
    public async Task A_misspelt_metric_is_caught()
    {
        var (status, _, result) = await _fixture.Prometheus.QueryAsync("sum(rate(gensafety_gateway_gensafety_gateway_request_duration_cuont[5m]))");
        var (badStatus, _, _) = await _fixture.Prometheus.QueryAsync("sum(rate(gensafety_gateway_gensafety_gateway_request_duration_count[5m])");

        Assert.Equal("success", status);
        Assert.Empty(result);
        Assert.Equal("error", badStatus);
    }
}
