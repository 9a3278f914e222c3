using GenSafety.Deployment.Tests.Infrastructure;

namespace GenSafety.Deployment.Tests.Alerts;

/// <summary>promtool on the chart's alert rules: syntax and the unit tests in alerts/tests.</summary>
public sealed class AlertRulesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Promtool_check_rules_passes()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("promtool", ["check", "rules", RepoPaths.RulesFile], RepoPaths.Alerts, Timeout);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_rules_pass()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("promtool", ["test", "rules", "gensafety-gateway.rules.test.yaml"], Path.Combine(RepoPaths.Alerts, "tests"), Timeout);

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData("> 0.05\n        for: 10m", "> 0.5\n        for: 10m")]
    [InlineData("> 0.005", "> 0.05")]
    [InlineData("status_code=~\"502|503|504\"", "status_code=~\"503\"")]
    public async Task The_unit_tests_fail_when_a_rule_is_weakened(string original, string weakened)
    {
        var dir = Directory.CreateTempSubdirectory("gensafety-rules-");
        try
        {
            var rules = await File.ReadAllTextAsync(RepoPaths.RulesFile);
            Assert.Contains(original, rules, StringComparison.Ordinal);
            Directory.CreateDirectory(Path.Combine(dir.FullName, "tests"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "gensafety-gateway.rules.yaml"), rules.Replace(original, weakened, StringComparison.Ordinal));
            File.Copy(Path.Combine(RepoPaths.Alerts, "tests", "gensafety-gateway.rules.test.yaml"), Path.Combine(dir.FullName, "tests", "gensafety-gateway.rules.test.yaml"));

            var (exitCode, _) = await ExternalTool.RunAsync("promtool", ["test", "rules", "gensafety-gateway.rules.test.yaml"], Path.Combine(dir.FullName, "tests"), Timeout);

            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
