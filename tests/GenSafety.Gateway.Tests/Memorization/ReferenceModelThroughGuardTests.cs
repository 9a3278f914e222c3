using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.DatasetInference;
using GenSafety.Gateway.Tests.TestHosts;
using Xunit.Abstractions;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>
/// The reference model really regurgitates its training members; with the members protected, every output that
/// copies 200 or more characters of one verbatim is stopped (buffered and streamed) and no output sharing less than
/// 99 characters with them is. Prompts are 80-character prefixes of members and of non-members (whose greedy
/// continuations often drift into member text too).
/// </summary>
public sealed class ReferenceModelThroughGuardTests(ITestOutputHelper output)
{
    private const int Sample = 40;
    private const int PrefixChars = 80;

    private static StringContent Completion(string prompt, bool stream) => new(
        JsonSerializer.Serialize(new { model = "reference-ngram", prompt, max_tokens = 160, temperature = 0, stream }), Encoding.UTF8, "application/json");

    [Fact]
    public async Task ModelOutputs_VerbatimCopiesOfMembersStopped_UnrelatedOutputsPass()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, [.. GatewayArgs, "--GenSafety:Memorization:PromptCheck=false"]);
        var members = ReferenceDocuments.Members;
        var add = await gateway.Admin.PostAsJsonAsync("/admin/protected/text",
            new { documents = members.Select((text, i) => new { id = $"member-{i}", text }) });
        add.EnsureSuccessStatusCode();
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        using var direct = new HttpClient { BaseAddress = new Uri(model.Url) };
        var haystack = string.Join('\0', members);
        var prompts = Enumerable.Range(0, Sample).SelectMany(i => new[]
        {
            members[i * members.Count / Sample][..PrefixChars],
            ReferenceDocuments.NonMembers[i * ReferenceDocuments.NonMembers.Count / Sample][..PrefixChars],
        });

        int copies = 0, copiesStopped = 0, unrelated = 0, unrelatedStopped = 0, between = 0;
        foreach (var prompt in prompts)
        {
            // Greedy decoding: the model's own answer is what the gateway sees.
            using var raw = JsonDocument.Parse(await (await direct.PostAsync("/v1/completions", Completion(prompt, stream: false))).Content.ReadAsStringAsync());
            var span = LongestVerbatimSpan(raw.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!, haystack);
            var blocked = (await client.PostAsync("/v1/completions", Completion(prompt, stream: false))).StatusCode == (HttpStatusCode)451;
            var stopped = await StoppedAsync(client, prompt);
            Assert.Equal(blocked, stopped);
            if (span >= 200)
            {
                copies++;
                copiesStopped += stopped ? 1 : 0;
            }
            else if (span < 99)
            {
                unrelated++;
                unrelatedStopped += stopped ? 1 : 0;
            }
            else
            {
                between++;
            }
        }

        output.WriteLine($"outputs copying >= 200 characters of a member verbatim: {copiesStopped}/{copies} stopped; " +
            $"sharing < 99: {unrelatedStopped}/{unrelated} stopped; {between} in between (not asserted)");
        Assert.True(copies >= 5 && unrelated >= 3, $"the sample must hold both kinds ({copies} copies, {unrelated} unrelated)");
        Assert.Equal(copies, copiesStopped);
        Assert.Equal(0, unrelatedStopped);
    }

    private static async Task<bool> StoppedAsync(HttpClient client, string prompt)
    {
        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/completions", Completion(prompt, stream: true))).Content.ReadAsStringAsync());
        Assert.True(stream.Done);
        return stream.GensafetyCode == "output_blocked";
    }
}
