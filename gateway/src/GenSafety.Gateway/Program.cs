using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Demo;
using GenSafety.Gateway.Hosting;

if (DatasetInferenceCommand.IsRequested(args))
{
    Environment.ExitCode = await DatasetInferenceCommand.RunAsync(args);
    return;
}

if (DemoMode.IsRequested(args))
{
    await DemoMode.RunAsync(args);
    return;
}

await GatewayApp.Build(GatewayApp.CreateBuilder(args)).RunAsync();
