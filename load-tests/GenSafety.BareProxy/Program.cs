// Bare YARP: config-driven routes, nothing else on the pipeline. The load tests start it with
//   --urls http://127.0.0.1:B --ReverseProxy:Clusters:upstream:Destinations:primary:Address=http://127.0.0.1:U/
// The content root is the output folder so that appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
