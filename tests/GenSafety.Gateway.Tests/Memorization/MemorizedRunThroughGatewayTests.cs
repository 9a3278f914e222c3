using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.DatasetInference;
using GenSafety.Gateway.Tests.TestHosts;
using Xunit.Abstractions;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>
/// Memorised runs in returned logprobs, end to end: the reference model recites its training members from their
/// prefixes with near-certain tokens; clients that receive such recitations with logprobs (buffered completions and
/// streamed chat) get the <c>memorized_run</c> risk signal, and clients whose outputs share little with the members
/// do not. No document is protected and prompt checks are off, so the logprobs are the only evidence.
/// </summary>
public sealed class MemorizedRunThroughGatewayTests(ITestOutputHelper output)
{
    private const int Sample = 20;
    private const int PrefixChars = 80;

    [Fact]
    public async Task Recitations_WithLogprobs_RaiseRisk_UnrelatedOutputsDoNot()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, [.. GatewayArgs, "--GenSafety:Memorization:PromptCheck=false", .. ReferenceModelRuns]);
        using var direct = new HttpClient { BaseAddress = new Uri(model.Url) };
        var haystack = string.Join('\0', ReferenceDocuments.Members);
        var cases = Enumerable.Range(0, Sample).SelectMany(i => new[]
        {
            ReferenceDocuments.Members[i * ReferenceDocuments.Members.Count / Sample][..PrefixChars],
            ReferenceDocuments.NonMembers[i * ReferenceDocuments.NonMembers.Count / Sample][..PrefixChars],
        });

        int recitations = 0, recitationsFlagged = 0, streamedRecitations = 0, unrelated = 0, unrelatedFlagged = 0, n = 0;
        foreach (var prompt in cases)
        {
            var stream = n / 2 % 2 == 1; // members and non-members alike, buffered and streamed in turn
            var id = $"client-{n++}";
            using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(id));
            using var raw = JsonDocument.Parse(await (await direct.PostAsync("/v1/completions", Completion(prompt, logprobs: false))).Content.ReadAsStringAsync());
            var span = LongestVerbatimSpan(raw.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!, haystack);
            var response = stream ? await client.PostAsync("/v1/chat/completions", StreamedChat(prompt)) : await client.PostAsync("/v1/completions", Completion(prompt, logprobs: true));
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("logprob", body);
            var flagged = await HasMemorizationReasonAsync(gateway, id, "memorised run", span >= 300 ? 40 : 4);
            if (span >= 300)
            {
                recitations++;
                recitationsFlagged += flagged ? 1 : 0;
                streamedRecitations += stream ? 1 : 0;
            }
            else if (span < 99)
            {
                unrelated++;
                unrelatedFlagged += flagged ? 1 : 0;
            }
        }

        output.WriteLine($"outputs reciting >= 300 characters of a member: {recitationsFlagged}/{recitations} flagged memorized_run; sharing < 99: {unrelatedFlagged}/{unrelated} flagged");
        Assert.True(recitations >= 6 && streamedRecitations >= 2 && unrelated >= 3,
            $"the sample must hold both kinds ({recitations} recitations, {streamedRecitations} streamed, {unrelated} unrelated)");
        Assert.True(recitationsFlagged >= recitations * 3 / 4, $"{recitationsFlagged} of {recitations} recitations flagged");
        Assert.Equal(0, unrelatedFlagged);
    }

    [Fact]
    public async Task CheckOff_NoSignal()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
            [.. GatewayArgs, "--GenSafety:Memorization:PromptCheck=false", "--GenSafety:Memorization:LogprobRunCheck=false", .. ReferenceModelRuns]);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("reciter"));

        foreach (var member in ReferenceDocuments.Members.Take(6))
        {
            (await client.PostAsync("/v1/completions", Completion(member[..PrefixChars], logprobs: true))).EnsureSuccessStatusCode();
        }

        Assert.False(await HasMemorizationReasonAsync(gateway, "reciter", "memorised run", 4));
    }

    // The reference model smooths its n-gram estimates, so even a recited continuation has token probabilities of
    // about 0.8–0.95 (surprisal 0.05–0.25 nat) where a large model gives 0.99+; the thresholds are set for it the way an
    // operator sets them per upstream.
    private static readonly string[] ReferenceModelRuns =
        ["--GenSafety:Memorization:LogprobRuns:MaxTokenSurprisal=0.3", "--GenSafety:Memorization:LogprobRuns:MaxTokenEntropy=1.0"];

    private static StringContent Completion(string prompt, bool logprobs) => new(
        JsonSerializer.Serialize(logprobs
            ? new { model = "reference-ngram", prompt, max_tokens = 160, temperature = 0.0, logprobs = (int?)5 }
            : new { model = "reference-ngram", prompt, max_tokens = 160, temperature = 0.0, logprobs = (int?)null }),
        Encoding.UTF8, "application/json");

    private static StringContent StreamedChat(string prompt) => new(
        JsonSerializer.Serialize(new
        {
            model = "reference-ngram",
            messages = new[] { new { role = "user", content = prompt } },
            max_tokens = 160,
            temperature = 0.0,
            logprobs = true,
            top_logprobs = 5,
            stream = true,
        }),
        Encoding.UTF8, "application/json");
}
