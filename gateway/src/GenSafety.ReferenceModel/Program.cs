var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args).Build();
await app.RunAsync();
