using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Demo;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Provenance;

if (DatasetInferenceCommand.IsRequested(args))
{
    Environment.ExitCode = await DatasetInferenceCommand.RunAsync(args);
    return;
}

if (OwnershipCommand.IsRequested(args))
{
    Environment.ExitCode = await OwnershipCommand.RunAsync(args);
    return;
}

if (DemoMode.IsRequested(args))
{
    await DemoMode.RunAsync(args);
    return;
}

await GatewayApp.Build(GatewayApp.CreateBuilder(args)).RunAsync();
