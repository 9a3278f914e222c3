using System.Text.Json;
using GenSafety.Deployment.Tests.Infrastructure;
using GenSafety.Deployment.Tests.Monitoring;

namespace GenSafety.Deployment.Tests.Dashboards;

/// <summary>The Grafana dashboards' structure: one per area, unique ids, every panel with Prometheus queries.</summary>
public sealed class DashboardTests
{
    [Fact]
    public void Overview_security_and_capacity_dashboards_ship_with_unique_uids()
    {
        var files = Directory.GetFiles(RepoPaths.Dashboards, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        var uids = files.Select(f => Read(f).GetProperty("uid").GetString()).ToArray();

        Assert.Equal(new[] { "capacity.json", "overview.json", "security.json" }, files);
        Assert.Equal(uids.Length, uids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_panel_queries_the_datasource_variable_and_has_an_expression()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Dashboards, "*.json"))
        {
            var dashboard = Read(Path.GetFileName(file));
            Assert.Contains(dashboard.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("name").GetString() == "datasource");
            foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
            {
                var title = panel.GetProperty("title").GetString();
                Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.True(panel.GetProperty("targets").GetArrayLength() > 0, $"{file}: {title} has no query");
                Assert.All(panel.GetProperty("targets").EnumerateArray(), t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"{title}: empty expr"));
            }
        }
    }

    [Fact]
    public void No_query_groups_by_a_client_id_key_or_prompt()
    {
        foreach (var expression in MonitoringExpressions.All())
        {
            Assert.DoesNotMatch(@"\b(client|client_id|key|api_key|prompt|tenant|user)\b", expression.Expression);
        }
    }

    [Fact]
    public void Every_metric_in_dashboards_and_alerts_is_documented()
    {
        var doc = File.ReadAllText(RepoPaths.OperationsDoc);
        var undocumented = MonitoringExpressions.All().SelectMany(e => MonitoringExpressions.MetricNames(e.Expression))
            .Select(name => System.Text.RegularExpressions.Regex.Replace(name, "_(bucket|count|sum)$", string.Empty))
            .Distinct(StringComparer.Ordinal)
            .Where(name => !doc.Contains($"`{name}`", StringComparison.Ordinal))
            .ToArray();

        Assert.Empty(undocumented);
    }

    private static JsonElement Read(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Dashboards, file)));
        return json.RootElement.Clone();
    }
}
