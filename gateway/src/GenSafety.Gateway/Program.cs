using GenSafety.Gateway.Demo;
using GenSafety.Gateway.Hosting;

if (DemoMode.IsRequested(args))
{
    await DemoMode.RunAsync(args);
    return;
}

await GatewayApp.Build(GatewayApp.CreateBuilder(args)).RunAsync();
