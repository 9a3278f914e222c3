using System.Text.RegularExpressions;
using GenSafety.Deployment.Tests.Infrastructure;

namespace GenSafety.Deployment.Tests.Docker;

/// <summary>One instruction of the Dockerfile's build stage.</summary>
/// <param name="Keyword">COPY, RUN or WORKDIR.</param>
/// <param name="Arguments">Its words.</param>
public sealed record DockerInstruction(string Keyword, string[] Arguments);

/// <summary>
/// The Dockerfile's <c>build</c> stage, replayed outside Docker: the build context (the repository less
/// .dockerignore) is copied into a folder standing for the container's root, and its COPY, WORKDIR and RUN
/// instructions run there in order, with the same arguments.
/// </summary>
public static partial class DockerBuildStage
{
    /// <summary>The instructions of the stage named <paramref name="stage"/>, continuation lines joined.</summary>
    public static IReadOnlyList<DockerInstruction> Instructions(string stage = "build")
    {
        var lines = Regex.Replace(File.ReadAllText(RepoPaths.Dockerfile), @"\\\r?\n", " ").Split('\n');
        var inStage = false;
        var result = new List<DockerInstruction>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var keyword = words[0].ToUpperInvariant();
            if (keyword == "FROM")
            {
                inStage = words.Length >= 4 && words[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) && words[^1] == stage;
                continue;
            }

            if (inStage && keyword is "COPY" or "RUN" or "WORKDIR")
            {
                result.Add(new DockerInstruction(keyword, words[1..]));
            }
        }

        return result;
    }

    /// <summary>Whether .dockerignore leaves <paramref name="relativePath"/> (forward slashes) out of the context.</summary>
    public static bool IsIgnored(string relativePath, IReadOnlyList<Regex> patterns)
    {
        var segments = relativePath.Split('/');
        for (var length = 1; length <= segments.Length; length++)
        {
            var prefix = string.Join('/', segments[..length]);
            if (patterns.Any(p => p.IsMatch(prefix)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The .dockerignore patterns as anchored regular expressions (<c>**/</c>, <c>*</c>; no negations used).</summary>
    public static IReadOnlyList<Regex> IgnorePatterns()
        => [.. File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(p => new Regex("^" + Regex.Escape(p).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$"))];

    /// <summary>Copies the build context into <paramref name="destination"/>.</summary>
    public static void CopyContext(string destination)
    {
        var patterns = IgnorePatterns();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/');
            if (IsIgnored(relative, patterns))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
