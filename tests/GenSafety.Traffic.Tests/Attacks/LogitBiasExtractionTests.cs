using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Logits;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Tests.Attacks;

/// <summary>A1 against the real reference model in its low-rank mode, in this process.</summary>
public sealed class LogitBiasExtractionTests
{
    private const int HiddenSize = 16;

    [Fact]
    public async Task Attack_UndefendedLowRankModel_RecoversHiddenSizeExactly()
    {
        var (report, _) = await RunAsync(quantum: 0);

        Assert.True(report.Conclusive, Summary.Describe(report));
        Assert.Equal(HiddenSize, report.RecoveredHiddenSize);
        Assert.True(report.GapRatio > 1e4, $"cliff {report.GapRatio}");
        Assert.Equal(report.Queries, report.Answered);
        Assert.True(report.Rows > HiddenSize && report.Columns > HiddenSize);
    }

    [Fact]
    public async Task Attack_LogprobsQuantizedLikeTheDegradeLevel_FindsNoRankCliff()
    {
        // The gateway's L2 rounds logprobs to multiples of 0.5: the spectrum then has no cliff at d.
        var (report, _) = await RunAsync(quantum: 0.5);

        Assert.False(report.Conclusive, Summary.Describe(report));
    }

    [Fact]
    public void Plan_GroupsNineteenTokensAndTheReferencePerQuery()
    {
        var attack = new LogitBiasExtraction(new AttackSetup(3, 0, false, new SeededRandom(1), new AttackOptions { A1Tokens = 58, A1Prompts = 2 }));

        var requests = Enumerable.Range(0, 3).SelectMany(s => Drain(attack, s)).ToList();

        Assert.Equal(2 * 3, requests.Count); // 57 swept tokens = 3 groups of 19, per prompt
        Assert.All(requests, r =>
        {
            var bias = r.Body["logit_bias"]!.AsObject();
            Assert.Equal(20, bias.Count);
            Assert.All(bias, b => Assert.Equal(100, (double)b.Value!));
            Assert.Equal(20, (int)r.Body["top_logprobs"]!);
            Assert.Equal(1, (int)r.Body["max_tokens"]!);
        });
        Assert.Equal(2, requests.Select(r => r.PromptText).Distinct().Count());
    }

    private static List<TrafficRequest> Drain(IAttack attack, int sybil)
    {
        var list = new List<TrafficRequest>();
        while (attack.NextFor(sybil) is { } request)
        {
            list.Add(request);
        }

        return list;
    }

    private static async Task<(HiddenSizeReport Report, int Sent)> RunAsync(double quantum)
    {
        var (app, url) = await ReferenceModelHosting.StartAsync(o =>
        {
            o.LowRankLogits = true;
            o.HiddenSize = HiddenSize;
            o.LowRankSeed = 42;
        }, CancellationToken.None);
        await using (app)
        {
            using var http = new HttpTrafficTransport(url, ModelNames.Reference, TimeSpan.FromSeconds(30), 4, false);
            ITrafficTransport transport = quantum > 0 ? new QuantizingTransport(http, quantum) : http;
            var attack = new LogitBiasExtraction(new AttackSetup(4, 0, false, new SeededRandom(3), new AttackOptions { A1Tokens = 58, A1Prompts = 60 }));
            var sent = await AttackDriver.RunAsync(attack, 4, transport, new TrafficClient("t", "t"), CancellationToken.None);
            return ((HiddenSizeReport)attack.Report(), sent);
        }
    }

    /// <summary>Rounds returned logprobs to multiples of <c>quantum</c>, ties away from zero, never above 0 (docs/degrade.md).</summary>
    private sealed class QuantizingTransport(ITrafficTransport inner, double quantum) : ITrafficTransport
    {
        public async Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken)
        {
            var response = await inner.SendAsync(client, request, cancellationToken);
            return new TrafficResponse
            {
                Status = response.Status,
                Content = response.Content,
                TopLogprobs = [.. response.TopLogprobs.Select(t => t with { Logprob = Math.Min(0, Math.Round(t.Logprob / quantum, MidpointRounding.AwayFromZero) * quantum) })],
            };
        }
    }
}
