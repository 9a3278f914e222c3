using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Gateway;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;
using GenSafety.Traffic.Tests.TestSupport;

namespace GenSafety.Traffic.Tests.Campaigns;

public sealed class CampaignTests
{
    private static CampaignSpec Spec(string scenario = AttackFamilies.LogitBias, int sybils = 10, double mix = 0.25, string variant = Variants.None, ulong seed = 7) => new()
    {
        Scenario = scenario,
        Sybils = sybils,
        Mix = mix,
        Variant = variant,
        Seed = seed,
        Queries = 400,
        BenignClients = 12,
        RunId = "test",
        Attack = new AttackOptions { A1Tokens = 39 },
    };

    [Theory]
    [InlineData(AttackFamilies.LogitBias, Variants.Both)]
    [InlineData(AttackFamilies.Bisection, Variants.Wording)]
    [InlineData(AttackFamilies.SelfInstruct, Variants.Interleave)]
    [InlineData(AttackFamilies.EncoderStealing, Variants.Both)]
    [InlineData(AttackFamilies.Divergence, Variants.None)]
    public async Task Run_SameSeed_SendsTheSameRequestsInTheSameOrder(string scenario, string variant)
    {
        var first = await RunAsync(Spec(scenario, variant: variant));
        var second = await RunAsync(Spec(scenario, variant: variant));
        var other = await RunAsync(Spec(scenario, variant: variant, seed: 8));

        Assert.Equal(Fingerprint(first), Fingerprint(second));
        Assert.NotEqual(Fingerprint(first), Fingerprint(other));
    }

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(10, 0.25)]
    [InlineData(100, 0.5)]
    public async Task Run_LabelsEveryRequestWithCampaignClientRoleAndFamily(int sybils, double mix)
    {
        var spec = Spec(AttackFamilies.Divergence, sybils, mix);
        var records = await RunAsync(spec);

        Assert.Equal(spec.Queries, records.Count);
        Assert.All(records, r => Assert.Equal(spec.Id, r.Campaign));
        var attack = records.Where(r => r.Role == Roles.Attack).ToList();
        Assert.Equal((int)Math.Round(spec.Queries * mix), attack.Count);
        Assert.All(attack, r => Assert.Equal(AttackFamilies.Divergence, r.Family));
        Assert.Equal(sybils, attack.Select(r => r.Client).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, sybils), attack.Select(r => r.Sybil).Distinct().Order());
        Assert.All(attack.GroupBy(r => r.Client), g => Assert.Single(g.Select(r => r.Sybil).Distinct()));
        var benign = records.Where(r => r.Role == Roles.Benign).ToList();
        Assert.All(benign, r => Assert.Contains(r.Family, PersonaNames.All));
        Assert.All(benign, r => Assert.Equal(-1, r.Sybil));
        Assert.Empty(benign.Select(r => r.Client).Intersect(attack.Select(r => r.Client)));
        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Seq).Order());
        Assert.DoesNotContain(records, r => r.Cover);
    }

    [Fact]
    public async Task Run_Interleaving_MarksCoverRequestsOnAttackerKeysOnly()
    {
        var records = await RunAsync(Spec(AttackFamilies.LogitBias, 5, 0.5, Variants.Interleave));

        var cover = records.Where(r => r.Cover).ToList();
        Assert.NotEmpty(cover);
        Assert.All(cover, r => Assert.Equal(Roles.Attack, r.Role));
        Assert.All(cover, r => Assert.Equal("cover", r.Kind));
        var attackerRequests = records.Count(r => r.Role == Roles.Attack);
        Assert.InRange(cover.Count / (double)attackerRequests, 0.35, 0.65); // cover ratio 1: half on average
    }

    [Fact]
    public void Build_SplitsBenignTrafficByPersonaWeights()
    {
        var campaign = Campaign.Build(Spec(CampaignSpec.BenignOnly) with { Queries = 1000, BenignClients = 20 });

        var byPersona = campaign.Actors.GroupBy(a => a.Label.Family).ToDictionary(g => g.Key, g => (Clients: g.Count(), Requests: g.Sum(a => a.Schedule.Count)));
        Assert.Equal((10, 500), byPersona[PersonaNames.Chat]);
        Assert.Equal((4, 200), byPersona[PersonaNames.Rag]);
        Assert.Equal((3, 150), byPersona[PersonaNames.Classifier]);
        Assert.Equal((3, 150), byPersona[PersonaNames.Embeddings]);
        Assert.All(campaign.Actors, a => Assert.Equal(a.Schedule.OrderBy(s => s.T), a.Schedule));
        Assert.True(campaign.SpanSeconds <= campaign.Spec.WindowSeconds);
        Assert.DoesNotContain(campaign.Actors, a => a.Label.Role == Roles.Attack);
    }

    [Fact]
    public async Task Run_BlockedClient_StopsSending()
    {
        var campaign = Campaign.Build(Spec(AttackFamilies.SelfInstruct, sybils: 2));
        await ClientProvisioner.Placeholder().ProvisionAsync(campaign, CancellationToken.None);
        var transport = new FakeTransport();
        var blocked = campaign.Actors.First(a => a.Label.Role == Roles.Attack);
        transport.BlockAfter[blocked.Client!.Id] = 3;
        using var log = new TrafficLog();

        var outcome = await new CampaignRunner(transport, new RunnerSettings(4)).RunAsync(campaign, log, CancellationToken.None);
        var summaries = await ClientSummary.ForCampaignAsync(outcome, null, CancellationToken.None);

        var summary = summaries.Single(s => s.Client == blocked.Client.Id);
        Assert.Equal(4, summary.Sent);
        Assert.Equal(3, summary.Ok);
        Assert.Equal(3, summary.QueriesBeforeAction);
        Assert.Equal(1, summary.Statuses["403"]);
        Assert.True(summary.Planned > summary.Sent);
        Assert.Equal(outcome.Requests.Count, summaries.Sum(s => s.Sent));
    }

    [Fact]
    public async Task Run_WithSpeedup_SendsNoRequestBeforeItsVirtualTime()
    {
        var spec = Spec(AttackFamilies.Divergence) with { Queries = 40, BenignClients = 4, WindowSeconds = 20 };
        var campaign = Campaign.Build(spec);
        await ClientProvisioner.Placeholder().ProvisionAsync(campaign, CancellationToken.None);
        using var log = new TrafficLog();

        var outcome = await new CampaignRunner(new FakeTransport(), new RunnerSettings(4, Speedup: 100)).RunAsync(campaign, log, CancellationToken.None);

        Assert.Equal(40, outcome.Requests.Count);
        Assert.All(outcome.Requests, r => Assert.True(r.WallMs >= (r.T / 100 * 1000) - 1, $"seq {r.Seq}: sent at {r.WallMs} ms, due {r.T / 100 * 1000} ms"));
    }

    [Fact]
    public async Task Log_WritesLabelledJsonlWithoutPromptText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"traffic-{Guid.NewGuid():N}.jsonl");
        try
        {
            var campaign = Campaign.Build(Spec(AttackFamilies.SelfInstruct, sybils: 1) with { Queries = 60, BenignClients = 6 });
            await ClientProvisioner.Placeholder().ProvisionAsync(campaign, CancellationToken.None);
            var transport = new FakeTransport();
            using (var log = new TrafficLog(path))
            {
                await new CampaignRunner(transport, new RunnerSettings()).RunAsync(campaign, log, CancellationToken.None);
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(60, lines.Length);
            using var first = System.Text.Json.JsonDocument.Parse(lines[0]);
            foreach (var field in (string[])["type", "seq", "t", "campaign", "client", "role", "family", "variant", "kind", "route", "shape", "status"])
            {
                Assert.True(first.RootElement.TryGetProperty(field, out _), field);
            }

            var text = string.Join('\n', lines);
            Assert.DoesNotContain(transport.Seen, s => s.Request.PromptText.Length > 20 && text.Contains(s.Request.PromptText, StringComparison.Ordinal));
            Assert.DoesNotContain("You are asked to come up with", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Split_LargestRemainders_SumToTotal()
    {
        Assert.Equal([34, 33, 33], Campaign.Split(100, 3));
        Assert.Equal([3, 1, 1], Campaign.Split(5, [0.5, 0.3, 0.2]));
        Assert.Equal(1000, Campaign.Split(1000, [0.5, 0.2, 0.15, 0.15]).Sum());
    }

    private static async Task<List<RequestRecord>> RunAsync(CampaignSpec spec)
    {
        var campaign = Campaign.Build(spec);
        await ClientProvisioner.Placeholder().ProvisionAsync(campaign, CancellationToken.None);
        using var log = new TrafficLog();
        var outcome = await new CampaignRunner(new FakeTransport(), new RunnerSettings(8)).RunAsync(campaign, log, CancellationToken.None);
        return [.. outcome.Requests.OrderBy(r => r.Seq)];
    }

    private static List<string> Fingerprint(List<RequestRecord> records) =>
        [.. records.Select(r => $"{r.Seq}|{r.T}|{r.Client}|{r.Kind}|{r.Cover}|{r.Shape}")];
}
