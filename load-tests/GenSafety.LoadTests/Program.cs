using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.EchoUpstream;
using GenSafety.LoadTests.Orchestration;
using GenSafety.LoadTests.ProofOfWork;

var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
if (command == "echo-upstream")
{
    return await EchoUpstreamApp.RunAsync(rest);
}

if (command == "pow-solve")
{
    return SolveCommand.Run(rest);
}

if (command is not ("run" or "selftest"))
{
    Console.Error.WriteLine(RunOptions.Usage);
    return command is "help" or "--help" or "-h" ? 0 : 1;
}

var repoRoot = RunOptions.FindRepoRoot(Directory.GetCurrentDirectory())
    ?? RunOptions.FindRepoRoot(AppContext.BaseDirectory)
    ?? Directory.GetCurrentDirectory();
var defaults = command == "selftest" ? RunOptions.SelfTestDefaults(repoRoot) : RunOptions.RunDefaults(repoRoot);
var options = RunOptions.Parse(rest, defaults, out var errors);
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    Console.Error.WriteLine(RunOptions.Usage);
    return 1;
}

// Ctrl+C, SIGTERM and SIGHUP cancel the run; the orchestrator then stops every child it started.
using var signals = new ShutdownSignals();

return command == "selftest"
    ? await SelfTestCommand.ExecuteAsync(options, signals.Token)
    : (await RunCommand.ExecuteAsync(options, signals.Token)).ExitCode;
