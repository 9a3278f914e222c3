using System.Text.Json;
using System.Text.RegularExpressions;
using GenSafety.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace GenSafety.Deployment.Tests.Monitoring;

/// <summary>One PromQL expression of a dashboard panel or an alert rule.</summary>
/// <param name="Source">Where it is used (dashboard/panel or rule).</param>
/// <param name="Expression">The PromQL text.</param>
/// <param name="IsAlert">Whether it is an alert rule (whose result is empty while it does not fire).</param>
public sealed partial record MonitoringExpression(string Source, string Expression, bool IsAlert)
{
    public override string ToString() => Source;

    /// <summary>The expression without its threshold comparisons: what an alert compares, which has data while the alert is quiet.</summary>
    public string WithoutThresholds() => Threshold().Replace(Expression, string.Empty);

    [GeneratedRegex(@"\s*(?:>=|<=|==|!=|>|<)\s*[0-9][0-9.eE+-]*")]
    private static partial Regex Threshold();
}

/// <summary>Every PromQL expression shipped in the chart's dashboards and alert rules.</summary>
public static partial class MonitoringExpressions
{
    public static IReadOnlyList<MonitoringExpression> All() => [.. Dashboards(), .. Alerts()];

    public static IEnumerable<MonitoringExpression> Dashboards()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Dashboards, "*.json").Order(StringComparer.Ordinal))
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return new MonitoringExpression(
                        $"{Path.GetFileName(file)} / {panel.GetProperty("title").GetString()} / {target.GetProperty("refId").GetString()}",
                        target.GetProperty("expr").GetString()!, IsAlert: false);
                }
            }
        }
    }

    public static IEnumerable<MonitoringExpression> Alerts()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RepoPaths.RulesFile))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (YamlMappingNode group in (YamlSequenceNode)root["groups"])
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                var name = rule.Children.TryGetValue("alert", out var alert) ? alert.ToString() : rule["record"].ToString();
                yield return new MonitoringExpression($"rule {name}", rule["expr"].ToString(), IsAlert: true);
            }
        }
    }

    /// <summary>Metric names an expression reads (the gateway's, the runtime's and the process's).</summary>
    public static IEnumerable<string> MetricNames(string expression)
        => MetricName().Matches(LabelLists().Replace(expression, " ")).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    // Label names (in "by (...)", "without (...)" and "{...}") look like metric names: drop them first.
    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)|\{[^}]*\}")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"\b(?:gensafety|gen_ai|process|system_runtime)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
