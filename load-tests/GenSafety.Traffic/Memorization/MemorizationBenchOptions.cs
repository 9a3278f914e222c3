namespace GenSafety.Traffic.Memorization;

/// <summary>What the memorization benchmark runs.</summary>
/// <param name="GatewayDll">The built gateway.</param>
/// <param name="Members">Members prompted by prefix (the first ones of <c>members.jsonl</c>; all 160 are protected).</param>
/// <param name="Benign">Benign responses (non-member prefixes at several offsets, then seeded chat prompts).</param>
/// <param name="PrefixChars">Prefix length N of the extraction prompts.</param>
/// <param name="MaxTokens">max_tokens of every request.</param>
/// <param name="ThresholdChars">T: the gateway's <c>ThresholdChars</c> and the leak threshold of the measure.</param>
/// <param name="Concurrency">Requests in flight.</param>
/// <param name="Seed">Seed of the chat prompts.</param>
public sealed record MemorizationBenchOptions(
    string GatewayDll,
    int Members = 160,
    int Benign = 12000,
    int PrefixChars = 80,
    int MaxTokens = 200,
    int ThresholdChars = 150,
    int Concurrency = 4,
    ulong Seed = 7);
