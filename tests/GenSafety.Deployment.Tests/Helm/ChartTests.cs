using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GenSafety.Deployment.Tests.Infrastructure;
using Json.Schema;

namespace GenSafety.Deployment.Tests.Helm;

/// <summary>
/// Checks of the Helm chart that need no helm binary: values against values.schema.json, every <c>.Values.*</c> path
/// used by a template present in values.yaml, block structure of the templates, files the templates read, yamllint.
/// </summary>
public sealed partial class ChartTests
{
    private static readonly string ValuesPath = Path.Combine(RepoPaths.Chart, "values.yaml");
    private static readonly string SchemaPath = Path.Combine(RepoPaths.Chart, "values.schema.json");

    [Fact]
    public void Values_yaml_validates_against_values_schema()
    {
        var result = Evaluate(YamlJson.Load(ValuesPath));

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("replicaCount", "0")]
    [InlineData("redis.failureMode", "\"sometimes\"")]
    [InlineData("ports.admin", "70000")]
    [InlineData("secrets.adminToken", "\"short\"")]
    [InlineData("serviceMonitor.interval", "\"soon\"")]
    [InlineData("unknownTopLevelKey", "true")]
    [InlineData("autoscaling.enabled", "\"yes\"")]
    public void Schema_rejects_a_broken_value(string path, string json)
    {
        var values = YamlJson.Load(ValuesPath)!.AsObject();
        var segments = path.Split('.');
        var parent = values;
        foreach (var segment in segments[..^1])
        {
            parent = parent[segment]!.AsObject();
        }

        parent[segments[^1]] = JsonNode.Parse(json);

        Assert.False(Evaluate(values).IsValid, $"{path}={json} passed the schema");
    }

    [Fact]
    public void Every_values_path_used_in_templates_exists_in_values_yaml()
    {
        var values = YamlJson.Load(ValuesPath)!.AsObject();
        var missing = new List<string>();
        var used = 0;
        foreach (var template in Directory.GetFiles(Path.Combine(RepoPaths.Chart, "templates")))
        {
            foreach (Match match in ValuesReference().Matches(File.ReadAllText(template)))
            {
                used++;
                if (!Exists(values, match.Groups[1].Value))
                {
                    missing.Add($"{Path.GetFileName(template)}: .Values.{match.Groups[1].Value}");
                }
            }
        }

        Assert.True(used > 50, $"only {used} .Values references found: is the pattern still right?");
        Assert.Empty(missing);
    }

    [Fact]
    public void The_path_check_catches_a_path_missing_from_values()
    {
        var values = YamlJson.Load(ValuesPath)!.AsObject();

        Assert.True(Exists(values, "redis.failureMode"));
        Assert.True(Exists(values, "pdb.maxUnavailable"));
        Assert.False(Exists(values, "redis.sentinel"));
        Assert.False(Exists(values, "image.tag.major"));
    }

    [Fact]
    public void Template_blocks_are_balanced()
    {
        foreach (var template in Directory.GetFiles(Path.Combine(RepoPaths.Chart, "templates")).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)))
        {
            var depth = 0;
            foreach (Match action in TemplateAction().Matches(File.ReadAllText(template)))
            {
                var keyword = action.Groups[1].Value;
                depth += keyword is "if" or "range" or "with" or "define" ? 1 : keyword == "end" ? -1 : 0;
                Assert.True(depth >= 0, $"{Path.GetFileName(template)}: 'end' without a block at {action.Index}");
            }

            Assert.True(depth == 0, $"{Path.GetFileName(template)}: {depth} block(s) not closed");
        }
    }

    [Fact]
    public void Files_read_by_templates_exist()
    {
        var read = 0;
        foreach (var template in Directory.GetFiles(Path.Combine(RepoPaths.Chart, "templates")))
        {
            foreach (Match match in FilesAccess().Matches(File.ReadAllText(template)))
            {
                read++;
                var pattern = match.Groups[2].Value;
                var found = match.Groups[1].Value == "Glob"
                    ? Directory.GetFiles(Path.Combine(RepoPaths.Chart, Path.GetDirectoryName(pattern)!), Path.GetFileName(pattern)).Length > 0
                    : File.Exists(Path.Combine(RepoPaths.Chart, pattern));
                Assert.True(found, $"{Path.GetFileName(template)} reads {pattern}, which is not in the chart");
            }
        }

        Assert.Equal(2, read);
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Chart, ".helmignore"));
        Assert.DoesNotContain(ignored, line => line.StartsWith("alerts/gensafety", StringComparison.Ordinal) || line.StartsWith("dashboards", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Yamllint_passes_on_the_charts_plain_yaml()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("yamllint", ["--strict", "--config-file", ".yamllint", "."], RepoPaths.Chart, TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Yamllint_catches_a_broken_file()
    {
        var dir = Directory.CreateTempSubdirectory("gensafety-yamllint-");
        try
        {
            File.Copy(Path.Combine(RepoPaths.Chart, ".yamllint"), Path.Combine(dir.FullName, ".yamllint"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "values.yaml"), "a: 1\na: 2\nb:   [1,2]\n");

            var (exitCode, _) = await ExternalTool.RunAsync("yamllint", ["--strict", "--config-file", ".yamllint", "."], dir.FullName, TimeSpan.FromMinutes(1));

            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static EvaluationResults Evaluate(JsonNode? values)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
        using var document = JsonDocument.Parse(values?.ToJsonString() ?? "null");
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result)
        => string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static bool Exists(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var segment in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.ContainsKey(segment))
            {
                return false;
            }

            node = obj[segment];
        }

        return true;
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?\s*(?:\$[A-Za-z_]*\s*:?=\s*)?(if|range|with|define|end|else)\b")]
    private static partial Regex TemplateAction();

    [GeneratedRegex(@"\.Files\.(Get|Glob)\s+""([^""]+)""")]
    private static partial Regex FilesAccess();
}
