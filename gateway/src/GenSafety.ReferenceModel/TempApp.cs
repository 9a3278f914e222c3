#pragma warning disable CS1591
namespace GenSafety.ReferenceModel;
public sealed class ReferenceModelOptions { public int StreamTokenDelayMs { get; set; } }
public static class ReferenceModelApp { public static WebApplication Build(string[] args, Action<ReferenceModelOptions>? configure = null) => WebApplication.CreateBuilder(args).Build(); }
public sealed class ReferenceModelActivity { public long RequestsCancelled => 0; }
