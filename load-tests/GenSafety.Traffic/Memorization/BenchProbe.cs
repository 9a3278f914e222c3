namespace GenSafety.Traffic.Memorization;

/// <summary>One request of the benchmark.</summary>
/// <param name="Section"><c>extraction</c>, <c>restyle</c> or <c>benign</c>.</param>
/// <param name="Case">What the prompt is (e.g. <c>member prefix</c>, a restyle variant, <c>chat prompt</c>).</param>
/// <param name="Prompt">The prompt (a chat turn when <paramref name="Chat"/>).</param>
/// <param name="Chat">Sent to <c>/v1/chat/completions</c> as one user turn, else to <c>/v1/completions</c>.</param>
/// <param name="Stream">Streamed (SSE) rather than buffered.</param>
/// <param name="Model">The model asked (the scripted upstream answers by model and prompt).</param>
public sealed record BenchProbe(string Section, string Case, string Prompt, bool Chat, bool Stream, string Model = CompletionProbe.ReferenceModelId)
{
    /// <summary><c>streamed</c> or <c>buffered</c>.</summary>
    public string Mode => Stream ? "streamed" : "buffered";
}
