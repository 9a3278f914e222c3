namespace GenSafety.Deployment.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "helm", "gensafety-gateway");

    public static string Alerts => Path.Combine(Chart, "alerts");

    public static string RulesFile => Path.Combine(Alerts, "gensafety-gateway.rules.yaml");

    public static string Dashboards => Path.Combine(Chart, "dashboards");

    public static string Dockerfile => Path.Combine(Root, "Dockerfile");

    public static string OperationsDoc => Path.Combine(Root, "docs", "operations.md");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GenSafety.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No GenSafety.Gateway.sln above {AppContext.BaseDirectory}.");
    }
}
