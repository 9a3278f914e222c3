using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Memorization;

/// <summary>Runs <see cref="MemorizationPromptCheck"/> for buffered chat-completions and completions responses, before the transforms (which read its result).</summary>
internal sealed class MemorizationPromptObserver(MemorizationPromptCheck check) : IJsonResponseObserver
{
    public void Observe(JsonResponseContext context, ReadOnlySpan<byte> body)
    {
        if (context.Request.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions)
        {
            check.Inspect(context.HttpContext);
        }
    }
}
