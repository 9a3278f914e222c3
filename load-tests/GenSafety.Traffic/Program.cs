using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Cli;

var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();

using var signals = new ShutdownSignals();

try
{
    switch (command)
    {
        case "svd-demo":
            return await SvdDemoCommand.ExecuteAsync(rest, Console.Out, signals.Token);
        case "encoder-demo":
            return await EncoderDemoCommand.ExecuteAsync(rest, Console.Out, signals.Token);
        case "score":
            return ScoreCommand.Execute(rest, Console.Out);
        case "memorization":
            return await MemorizationCommand.ExecuteAsync(rest, Console.Out, signals.Token);
        case "bench":
            return await BenchCommand.ExecuteAsync(rest, Console.Out, signals.Token);
        case "run" or "plan":
            var options = TrafficRunOptions.Parse(rest, needsTarget: command == "run", out var errors);
            if (errors.Count > 0)
            {
                errors.ForEach(e => Console.Error.WriteLine("error: " + e));
                Console.Error.WriteLine(TrafficRunOptions.Usage);
                return 1;
            }

            return command == "plan"
                ? PlanCommand.Execute(options, Console.Out)
                : await RunCommand.ExecuteAsync(options, Console.Out, signals.Token);
        default:
            Console.Error.WriteLine(TrafficRunOptions.Usage);
            Console.Error.WriteLine(SvdDemoCommand.Usage);
            Console.Error.WriteLine(EncoderDemoCommand.Usage);
            Console.Error.WriteLine(ScoreCommand.Usage);
            Console.Error.WriteLine(BenchCommand.Usage);
            Console.Error.WriteLine(MemorizationCommand.Usage);
            return command is "help" or "--help" or "-h" ? 0 : 1;
    }
}
catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception ex) when (ex is GenSafety.Traffic.Gateway.GatewayAdminException or HttpRequestException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}
