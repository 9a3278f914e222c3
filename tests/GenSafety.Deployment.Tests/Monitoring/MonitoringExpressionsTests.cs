namespace GenSafety.Deployment.Tests.Monitoring;

/// <summary>The expression helpers the Prometheus checks rely on.</summary>
public sealed class MonitoringExpressionsTests
{
    [Fact]
    public void Metric_names_leave_out_label_names_and_label_values()
    {
        var names = MonitoringExpressions.MetricNames(
            "histogram_quantile(0.5, sum by (le, gen_ai_operation_name) (rate(gensafety_gateway_genai_gen_ai_server_time_to_first_token_bucket{gen_ai_token_type=\"process_x\"}[5m])))");

        Assert.Equal(["gensafety_gateway_genai_gen_ai_server_time_to_first_token_bucket"], names);
    }

    [Fact]
    public void Without_thresholds_keeps_what_the_alert_compares()
    {
        var overhead = MonitoringExpressions.Alerts().Single(a => a.Source == "rule GenSafetyOverheadOverBudget");
        var ledger = MonitoringExpressions.Alerts().Single(a => a.Source == "rule GenSafetyVerificationRecordsFailing");

        Assert.Contains("histogram_quantile(0.99,", overhead.WithoutThresholds(), StringComparison.Ordinal);
        Assert.DoesNotContain("0.005", overhead.WithoutThresholds(), StringComparison.Ordinal);
        Assert.DoesNotContain(">", ledger.WithoutThresholds(), StringComparison.Ordinal);
        Assert.Contains(" or ", ledger.WithoutThresholds(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dashboard_and_alert_expression_is_found()
    {
        Assert.Equal(7, MonitoringExpressions.Alerts().Count());
        Assert.True(MonitoringExpressions.Dashboards().Count() >= 50);
    }
}
