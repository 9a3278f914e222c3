namespace GenSafety.LoadTests.Scenarios;

internal static class ScenarioNames
{
    /// <summary>Non-streaming <c>POST /v1/chat/completions</c>.</summary>
    public const string Chat = "chat";

    /// <summary>The same with <c>"stream":true</c>; time-to-first-token is measured as well.</summary>
    public const string ChatStream = "chat-stream";
}
