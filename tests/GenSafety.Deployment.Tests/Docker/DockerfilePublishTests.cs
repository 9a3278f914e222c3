using System.Diagnostics;
using System.Text;
using GenSafety.Deployment.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Deployment.Tests.Docker;

/// <summary>
/// The Dockerfile's build stage run outside Docker (no engine on CI): the same COPY order and the same
/// <c>dotnet restore</c> / <c>dotnet publish</c> arguments; the published gateway then starts (<c>--demo</c>) and
/// answers <c>/healthz</c>.
/// </summary>
public sealed class DockerfilePublishTests
{
    [Fact]
    public void Dockerignore_keeps_sources_and_drops_build_outputs()
    {
        var patterns = DockerBuildStage.IgnorePatterns();

        Assert.False(DockerBuildStage.IsIgnored("gateway/src/GenSafety.Gateway/Program.cs", patterns));
        Assert.False(DockerBuildStage.IsIgnored("Directory.Packages.props", patterns));
        Assert.True(DockerBuildStage.IsIgnored("gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll", patterns));
        Assert.True(DockerBuildStage.IsIgnored("detectors/src/GenSafety.Detectors/obj/project.assets.json", patterns));
        Assert.True(DockerBuildStage.IsIgnored(".git/HEAD", patterns));
        Assert.True(DockerBuildStage.IsIgnored("tests/GenSafety.Gateway.Tests/GenSafety.Gateway.Tests.csproj", patterns));
    }

    [Fact]
    public void The_build_stage_restores_then_publishes_the_gateway_framework_dependent_for_linux_x64()
    {
        var runs = DockerBuildStage.Instructions().Where(i => i.Keyword == "RUN").Select(i => string.Join(' ', i.Arguments)).ToArray();

        Assert.Equal(2, runs.Length);
        Assert.StartsWith("dotnet restore gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj", runs[0], StringComparison.Ordinal);
        Assert.StartsWith("dotnet publish gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj -c Release -r linux-x64 --self-contained false", runs[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_like_the_Dockerfile_the_gateway_starts_and_answers_healthz()
    {
        var root = Directory.CreateTempSubdirectory("gensafety-docker-build-");
        try
        {
            var workdir = root.FullName;
            foreach (var instruction in DockerBuildStage.Instructions())
            {
                switch (instruction.Keyword)
                {
                    case "WORKDIR":
                        workdir = InContainer(root.FullName, instruction.Arguments[0]);
                        Directory.CreateDirectory(workdir);
                        break;
                    case "COPY":
                        Copy(instruction.Arguments, workdir);
                        break;
                    default:
                        await RunAsync(instruction.Arguments, workdir, root.FullName);
                        break;
                }
            }

            var publish = InContainer(root.FullName, "/app/publish");
            Assert.True(File.Exists(Path.Combine(publish, "GenSafety.Gateway.dll")));
            // The runtime image has no SDK or NuGet cache: the native libraries must be in the published folder.
            Assert.True(File.Exists(Path.Combine(publish, "libonnxruntime.so")), "libonnxruntime.so is not published for linux-x64");
            await StartAndProbeAsync(publish);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    // An absolute container path, under the folder that stands for the container's root.
    private static string InContainer(string root, string path) => Path.Combine(root, path.TrimStart('/'));

    private static void Copy(string[] arguments, string workdir)
    {
        Assert.DoesNotContain(arguments, a => a.StartsWith("--", StringComparison.Ordinal));
        var destination = Path.Combine(workdir, arguments[^1]);
        foreach (var source in arguments[..^1])
        {
            if (source == ".")
            {
                DockerBuildStage.CopyContext(destination);
                continue;
            }

            Assert.False(DockerBuildStage.IsIgnored(source, DockerBuildStage.IgnorePatterns()), $"COPY {source}: .dockerignore leaves it out");
            var target = arguments[^1].EndsWith('/') ? Path.Combine(destination, Path.GetFileName(source)) : destination;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepoPaths.Root, source), target, overwrite: true);
        }
    }

    private static async Task RunAsync(string[] arguments, string workdir, string root)
    {
        Assert.Equal("dotnet", arguments[0]);
        Assert.DoesNotContain(arguments, a => a is "&&" or "|" or ";");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workdir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments[1..])
        {
            start.ArgumentList.Add(argument.StartsWith('/') ? InContainer(root, argument) : argument);
        }

        // The build server would outlive the test; a container build has none either.
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var (exitCode, output) = await ExternalTool.RunAsync(start, TimeSpan.FromMinutes(8));
        Assert.True(exitCode == 0, $"{string.Join(' ', arguments)} failed: {output}");
    }

    private static async Task StartAndProbeAsync(string publish)
    {
        var admin = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = publish,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(publish, "GenSafety.Gateway.dll"), "--demo",
            $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{FreePort.Next()}", $"--Kestrel:Endpoints:Admin:Url={admin}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => ExternalTool.Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => ExternalTool.Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(admin), Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync("/healthz");
                    Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
                    return;
                }
                catch (HttpRequestException) when (!process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(90))
                {
                    await Task.Delay(200);
                }
                catch (HttpRequestException ex)
                {
                    Assert.Fail($"The published gateway did not answer /healthz ({ex.Message}): {ExternalTool.Read(output)}");
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }
}
