using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class SybilLinkingTests(ITestOutputHelper output)
{
    private static readonly HarvestingDetector Harvesting = new(new HarvestingOptions());
    private static readonly SybilLinkOptions Options = new();

    [Fact]
    public void TemplateSimilarity_SybilsSharingATemplate_High_UnrelatedClients_Zero()
    {
        var (sybilA, sybilB) = (Observed(Campaign(1, 0)), Observed(Campaign(1, 1)));
        var chat = Observed(SyntheticTraffic.Persona(2, 64, SyntheticTraffic.Chat));
        var otherChat = Observed(SyntheticTraffic.Persona(3, 64, SyntheticTraffic.Chat));

        Assert.True(SybilLinking.TemplateSimilarity(Harvesting, sybilA, sybilB) >= 0.95);
        Assert.Equal(0.0, SybilLinking.TemplateSimilarity(Harvesting, sybilA, chat));
        Assert.Equal(0.0, SybilLinking.TemplateSimilarity(Harvesting, chat, otherChat));
        Assert.Equal(SybilLinking.TemplateSimilarity(Harvesting, sybilA, chat), SybilLinking.TemplateSimilarity(Harvesting, chat, sybilA));
    }

    [Fact]
    public void TemplateSimilarity_PartlyShared_CountsBothSides()
    {
        // A: about 32 template requests and 32 chat prompts; B: 64 template requests.
        var a = Observed(SyntheticTraffic.Persona(4, 64, (r, t) => r.NextDouble() < 0.5 ? SyntheticTraffic.Alpaca(r, t) : SyntheticTraffic.Chat(r, t)));
        var b = Observed(Campaign(5, 0));
        var eligibleA = Enumerable.Range(0, a.WindowCount).Count(i => a.Window[i].Length >= 128);
        var templatedA = Enumerable.Range(0, a.WindowCount).Count(i => a.Window[i].Length >= SyntheticTraffic.HarvestTemplate.Length);

        // Every templated request matches on both sides; A's long chat prompts match nothing.
        Assert.Equal((templatedA + 64.0) / (eligibleA + 64.0), SybilLinking.TemplateSimilarity(Harvesting, a, b), 12);
        Assert.InRange(templatedA, 20, 44);
        Assert.True(eligibleA > templatedA);
    }

    [Fact]
    public void CoverageJaccard_SmallBitmaps_ExactValue()
    {
        byte[] a = [0b1111_0000, 0, 0, 0, 0, 0, 0, 1];
        byte[] b = [0b1100_1100, 0, 0, 0, 0, 0, 0, 1];

        // Set bits: A = 5, B = 5, both = 3, either = 7.
        Assert.Equal(3.0 / 7, SybilLinking.CoverageJaccard(a, b), 12);
        Assert.Equal(0.0, SybilLinking.CoverageJaccard(new byte[8], new byte[8]));
        Assert.Throws<ArgumentException>(() => SybilLinking.CoverageJaccard(a, new byte[16]));
        Assert.Throws<ArgumentException>(() => SybilLinking.CoverageJaccard(new byte[7], new byte[7]));
    }

    [Fact]
    public void CoverageJaccard_SweepersOverlap_TopicalClientsApartOrTogether()
    {
        var projection = new B4BProjection(256, 1);
        var centers = SyntheticTraffic.Centers(5, 10, 256);
        var sweepA = Covered(projection, SyntheticTraffic.UniformClient(10, 256, 2000));
        var sweepB = Covered(projection, SyntheticTraffic.UniformClient(11, 256, 2000));
        var topicA = Covered(projection, Topical(12, centers[0]));
        var topicB = Covered(projection, Topical(13, centers[1]));
        var topicA2 = Covered(projection, Topical(14, centers[0]));

        var sweepers = SybilLinking.CoverageJaccard(sweepA.State, sweepB.State);
        var apart = SybilLinking.CoverageJaccard(topicA.State, topicB.State);
        var together = SybilLinking.CoverageJaccard(topicA.State, topicA2.State);

        output.WriteLine($"B4B Jaccard: two uniform sweeps {sweepers:F3}, two clients in different topics {apart:F3}, two in one topic {together:F3}");
        Assert.InRange(sweepers, 0.15, 0.35);
        Assert.True(apart < 0.05, $"{apart}");
        Assert.True(together > sweepers, $"{together}");
    }

    [Fact]
    public void TimingCorrelation_SharedSchedule_High_IndependentClients_Low()
    {
        var schedule = Schedule(20);
        var a = Observed(OnSchedule(schedule, 21));
        var b = Observed(OnSchedule(schedule, 22));
        var independent = Observed(OnSchedule(Schedule(23), 24));

        var synchronous = SybilLinking.TimingCorrelation(a, b, Options.MinActiveMinutes);
        var unrelated = SybilLinking.TimingCorrelation(a, independent, Options.MinActiveMinutes);

        output.WriteLine($"Timing correlation: shared schedule {synchronous:F3}, independent schedules {unrelated:F3}");
        // Requests jitter within their minute, and minutes are Unix minutes, so equal schedules do not bin identically.
        Assert.True(synchronous >= 0.6, $"{synchronous}");
        Assert.True(Math.Abs(unrelated) < 0.4, $"{unrelated}");
        Assert.Equal(synchronous, SybilLinking.TimingCorrelation(b, a, Options.MinActiveMinutes), 12);
    }

    [Fact]
    public void TimingCorrelation_KnownCounts_PearsonOverTheLatestHour()
    {
        var a = Harvesting.CreateState();
        var b = Harvesting.CreateState();
        var features = Harvesting.ExtractFeatures("hello");
        int[] countsA = [3, 1, 4, 1, 5, 9, 2, 6];
        int[] countsB = [2, 7, 1, 8, 2, 8, 1, 8];
        for (var m = 0; m < countsA.Length; m++)
        {
            for (var i = 0; i < countsA[m]; i++)
            {
                Harvesting.Observe(a, features, SyntheticTraffic.Start.AddMinutes(m));
            }

            for (var i = 0; i < countsB[m]; i++)
            {
                Harvesting.Observe(b, features, SyntheticTraffic.Start.AddMinutes(m));
            }
        }

        // Over 64 minutes, 56 of them empty for both.
        var x = countsA.Select(c => (double)c).Concat(Enumerable.Repeat(0.0, 56)).ToArray();
        var y = countsB.Select(c => (double)c).Concat(Enumerable.Repeat(0.0, 56)).ToArray();
        var (mx, my) = (x.Average(), y.Average());
        var expected = x.Zip(y, (p, q) => (p - mx) * (q - my)).Sum() / Math.Sqrt(x.Sum(p => (p - mx) * (p - mx)) * y.Sum(q => (q - my) * (q - my)));

        Assert.Equal(expected, SybilLinking.TimingCorrelation(a, b, 6), 12);
        Assert.Equal(0.0, SybilLinking.TimingCorrelation(a, b, 9));
        Assert.Equal(0.0, SybilLinking.TimingCorrelation(a, Harvesting.CreateState(), 2));
    }

    [Fact]
    public void Link_WeightedSum_MissingCoverageCountsZero()
    {
        var schedule = Schedule(30);
        var a = Observed(OnSchedule(schedule, 31, alpaca: true));
        var b = Observed(OnSchedule(schedule, 32, alpaca: true));
        var coverage = new byte[16];
        coverage[0] = 0xFF;

        var without = SybilLinking.Link(Harvesting, a, b, default, default, Options);
        var with = SybilLinking.Link(Harvesting, a, b, coverage, coverage, Options);

        Assert.True(double.IsNaN(without.Coverage));
        Assert.Equal((0.45 * without.Template) + (0.35 * without.Timing), without.Score, 12);
        Assert.Equal(1.0, with.Coverage);
        Assert.Equal(without.Score + 0.2, with.Score, 12);
        Assert.True(without.Template > 0.9 && without.Timing > 0.6, $"{without}");
        Assert.Throws<OptionsValidationException>(() => SybilLinking.Link(Harvesting, a, b, default, default, new SybilLinkOptions { TemplateWeight = 0, TimingWeight = 0, CoverageWeight = 0 }));
    }

    [Fact]
    public void Cluster_CampaignSplitOverSybils_OneClusterBenignAlone()
    {
        // 10 sybils share a harvesting campaign (template and schedule); 30 chat users and 5 clients of one RAG app
        // (same template, independent timing) are benign.
        var schedule = Schedule(40);
        var clients = new List<HarvestingState>();
        clients.AddRange(Enumerable.Range(0, 10).Select(i => Observed(OnSchedule(schedule, (ulong)(41 + i), alpaca: true))));
        clients.AddRange(Enumerable.Range(0, 30).Select(i => Observed(OnSchedule(Schedule((ulong)(60 + i)), (ulong)(100 + i)))));
        clients.AddRange(Enumerable.Range(0, 5).Select(i => Observed(OnSchedule(Schedule((ulong)(200 + i)), (ulong)(210 + i), rag: true))));

        var links = new List<ClientLink>();
        var sybilScores = new List<double>();
        var benignScores = new List<double>();
        for (var i = 0; i < clients.Count; i++)
        {
            for (var j = i + 1; j < clients.Count; j++)
            {
                var score = SybilLinking.Link(Harvesting, clients[i], clients[j], default, default, Options).Score;
                links.Add(new ClientLink(i, j, score));
                (i < 10 && j < 10 ? sybilScores : benignScores).Add(score);
            }
        }

        var clusters = SybilClustering.Cluster(clients.Count, links, Options.LinkThreshold);

        output.WriteLine($"Link scores: sybil pairs min {sybilScores.Min():F3} median {sybilScores.Order().ElementAt(sybilScores.Count / 2):F3}; other pairs max {benignScores.Max():F3}");
        Assert.All(clusters.Take(10), c => Assert.Equal(0, c));
        Assert.Equal(Enumerable.Range(10, 35), clusters.Skip(10));
    }

    [Fact]
    public void Cluster_LinksAboveThreshold_UnionFind()
    {
        ClientLink[] links = [new(0, 1, 0.9), new(1, 2, 0.6), new(3, 4, 0.4), new(5, 2, 0.5), new(6, 6, 1.0)];

        var clusters = SybilClustering.Cluster(7, links, 0.5);

        Assert.Equal([0, 0, 0, 3, 4, 0, 6], clusters);
        Assert.Throws<ArgumentException>(() => SybilClustering.Cluster(3, [new ClientLink(0, 3, 1)], 0.5));
    }

    [Fact]
    public void PropagateMax_ClusterRiskReachesEveryMember()
    {
        int[] clusters = [0, 0, 2, 0, 4];
        double[] scores = [0.1, 0.9, 0.3, 0.2, 0.0];
        var spread = new double[5];

        SybilClustering.PropagateMax(clusters, scores, spread);

        Assert.Equal([0.9, 0.9, 0.3, 0.9, 0.0], spread);
        Assert.Throws<ArgumentException>(() => SybilClustering.PropagateMax([0, 7], [0.1, 0.2], new double[2]));
        Assert.Throws<ArgumentException>(() => SybilClustering.PropagateMax([0, 0], [0.1], new double[2]));
    }

    private static HarvestingState Observed(IEnumerable<SyntheticTraffic.Request> requests)
    {
        var state = Harvesting.CreateState();
        foreach (var request in requests)
        {
            Harvesting.Observe(state, Harvesting.ExtractFeatures(request.Prompt, request.MaxTokens, request.Temperature), request.At);
        }

        return state;
    }

    /// <summary>Sybil <paramref name="member"/> of a harvesting campaign: the campaign's template, its own seed tasks.</summary>
    private static List<SyntheticTraffic.Request> Campaign(ulong campaign, int member) =>
        SyntheticTraffic.Persona((campaign * 1000) + (ulong)member, 64, SyntheticTraffic.Alpaca);

    /// <summary>Requests per minute over an hour: bursts in random minutes (a scheduler's pattern).</summary>
    private static int[] Schedule(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return [.. Enumerable.Range(0, 64).Select(_ => random.NextDouble() < 0.3 ? 1 + random.NextInt(4) : 0)];
    }

    private static IEnumerable<SyntheticTraffic.Request> OnSchedule(int[] schedule, ulong seed, bool alpaca = false, bool rag = false)
    {
        var random = new DeterministicRandom(seed);
        var topics = SyntheticTraffic.PickTopics(random, 2);
        for (var minute = 0; minute < schedule.Length; minute++)
        {
            for (var i = 0; i < schedule[minute]; i++)
            {
                var (prompt, maxTokens, temperature, _) = alpaca ? SyntheticTraffic.Alpaca(random, topics) : rag ? SyntheticTraffic.Rag(random, topics) : SyntheticTraffic.Chat(random, topics);
                yield return new SyntheticTraffic.Request(prompt, maxTokens, temperature, SyntheticTraffic.Start.AddMinutes(minute).AddSeconds(random.NextInt(60)));
            }
        }
    }

    private static B4BCoverage Covered(B4BProjection projection, IEnumerable<float[]> vectors)
    {
        var coverage = new B4BCoverage(projection);
        foreach (var vector in vectors)
        {
            coverage.Observe(vector);
        }

        return coverage;
    }

    private static List<float[]> Topical(ulong seed, float[] center)
    {
        var random = new DeterministicRandom(seed);
        return [.. Enumerable.Range(0, 2000).Select(_ => TestSupport.Vectors.Around(random, center, 0.025))];
    }
}
