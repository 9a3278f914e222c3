namespace GenSafety.Traffic.Memorization;

/// <summary>What a client received for one probe.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Text">The generated text as the client received it (for a stream, every delta up to the end).</param>
/// <param name="Stopped">The gateway withheld or cut the output (451 <c>output_blocked</c>, a <c>content_filter</c> finish, a stream's <c>gensafety</c> stop).</param>
public sealed record ProbeResult(int Status, string Text, bool Stopped);
