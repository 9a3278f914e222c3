using System.Net.Http.Headers;

namespace GenSafety.LoadTests.Scenarios;

/// <summary>Where one target's requests go and which bearer they carry.</summary>
internal sealed record LoadTarget(string Name, Uri BaseAddress, string BearerToken)
{
    public Uri ChatCompletions { get; } = new(BaseAddress, "v1/chat/completions");

    public AuthenticationHeaderValue Authorization { get; } = new("Bearer", BearerToken);
}
