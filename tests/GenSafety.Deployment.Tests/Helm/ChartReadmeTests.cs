using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GenSafety.Deployment.Tests.Infrastructure;

namespace GenSafety.Deployment.Tests.Helm;

/// <summary>Every value of values.yaml is described in the chart's README.</summary>
public sealed partial class ChartReadmeTests
{
    // Objects handed to Kubernetes or to the gateway as they are: documented as a whole.
    private static readonly string[] FreeForm =
        ["config.gensafety", "config.reverseProxy", "config.logging", "podSecurityContext", "securityContext", "resources", "gpu.nodeSelector"];

    [Fact]
    public void Every_value_is_documented_in_the_readme()
    {
        var values = YamlJson.Load(Path.Combine(RepoPaths.Chart, "values.yaml"))!.AsObject();
        var documented = DocumentedKeys().Matches(File.ReadAllText(Path.Combine(RepoPaths.Chart, "README.md")))
            .SelectMany(m => Expand(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

        var paths = Paths(values, prefix: "").ToArray();
        var undocumented = paths.Where(p => !documented.Contains(p)).ToArray();

        Assert.True(paths.Length > 60, $"only {paths.Length} value paths found");
        Assert.Empty(undocumented);
    }

    private static IEnumerable<string> Paths(JsonObject node, string prefix)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child && child.Count > 0 && !FreeForm.Contains(path))
            {
                foreach (var nested in Paths(child, path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    // "`probes.liveness.periodSeconds` / `.timeoutSeconds`" documents both paths.
    private static IEnumerable<string> Expand(string cell)
    {
        var names = cell.Split(" / ").Select(n => n.Trim().Trim('`')).ToArray();
        var first = names[0];
        yield return first;
        var stem = first[..(first.LastIndexOf('.') + 1)];
        foreach (var name in names.Skip(1))
        {
            yield return name.StartsWith('.') ? stem + name[1..] : name;
        }
    }

    [GeneratedRegex(@"^\| (`[^|]+`) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedKeys();
}
