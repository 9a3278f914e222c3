using System.Globalization;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Encoder;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Gateway;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>run</c>: for each campaign, provisions its clients, plays it against the target, and writes the campaign
/// header, every request, one summary per client (with the gateway's enforcement state when the admin API is
/// known; each campaign in a tenant of its own, <see cref="TenantOf"/>) and the attack's report to the JSONL file; prints a summary per campaign.
/// </summary>
public static class RunCommand
{
    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(TrafficRunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var transport = new HttpTrafficTransport(options.Target!, options.Models, options.RequestTimeout, options.Runner.Concurrency, options.SolveProofOfWork);
        using var adminHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var provisioner = options.Admin is not null
            ? null
            : options.KeysFile is not null
                ? ClientProvisioner.FromList(ClientProvisioner.ReadKeysFile(options.KeysFile))
                : ClientProvisioner.Placeholder();
        var oracleUrl = options.Oracle ?? (options.Admin is null && options.KeysFile is null ? options.Target : null);
        using var oracle = oracleUrl is null ? null : new HttpTrafficTransport(oracleUrl, options.Models, options.RequestTimeout, 4, false);
        using var log = new TrafficLog(options.Out);
        var runner = new CampaignRunner(transport, options.Runner, oracle is null ? null : new EmbeddingDrift(oracle, new TrafficClient("oracle", options.OracleKey)));
        foreach (var spec in options.Campaigns)
        {
            var campaign = Campaign.Build(spec);
            log.Write(new CampaignHeader(campaign, options));
            var campaignProvisioner = provisioner ?? ClientProvisioner.ThroughAdmin(
                new GatewayAdmin(adminHttp, options.Admin!, options.AdminToken!, TenantOf(campaign, options)), options.Policy);
            await campaignProvisioner.ProvisionAsync(campaign, cancellationToken);
            if (options.AttackLevel is { } level)
            {
                await campaignProvisioner.PinAttackersAsync(campaign, level, cancellationToken);
            }

            var outcome = await runner.RunAsync(campaign, log, cancellationToken);
            var summaries = await ClientSummary.ForCampaignAsync(outcome, campaignProvisioner.Admin, cancellationToken);
            foreach (var summary in summaries)
            {
                log.Write(summary);
            }

            AttackReport? report = null;
            if (campaign.Attack is { } attack)
            {
                if (attack is EncoderStealing stealing && oracle is not null)
                {
                    stealing.Evaluate(await CleanEmbeddingsAsync(oracle, new TrafficClient("oracle", options.OracleKey), stealing.HeldOutTexts(), cancellationToken));
                }

                report = attack.Report() with { Campaign = campaign.Id };
                log.Write(report);
            }

            log.Flush();
            Summary.Write(output, outcome, summaries, report);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records: {Path.GetFullPath(options.Out)}"));
        return 0;
    }

    /// <summary>
    /// The tenant a campaign's clients are created in: <c>--tenant</c> for a single campaign, else
    /// <c>{tenant}-{campaign id}</c>, so that tenant-wide state (campaign signatures, sybil activity) built by one
    /// campaign never carries over into the next one of the same run.
    /// </summary>
    public static string TenantOf(Campaign campaign, TrafficRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(options);
        return options.Campaigns.Count == 1 ? options.Tenant : $"{options.Tenant}-{campaign.Id}";
    }

    /// <summary>Clean embeddings of <paramref name="texts"/> from an undefended endpoint, in batches of 32.</summary>
    public static async Task<List<EmbeddingPair>> CleanEmbeddingsAsync(ITrafficTransport oracle, TrafficClient client, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var pairs = new List<EmbeddingPair>(texts.Count);
        foreach (var batch in texts.Chunk(32))
        {
            var response = await oracle.SendAsync(client, TrafficRequest.Embeddings("oracle", batch), cancellationToken);
            if (!response.Ok || response.Embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"The oracle answered HTTP {response.Status} ({response.ErrorCode}) to an embeddings request.");
            }

            pairs.AddRange(batch.Select((text, i) => new EmbeddingPair(text, response.Embeddings[i])));
        }

        return pairs;
    }

    /// <summary>The first JSONL line of a campaign: its parameters.</summary>
    private sealed record CampaignHeader
    {
        public CampaignHeader(Campaign campaign, TrafficRunOptions options)
        {
            var spec = campaign.Spec;
            Campaign = campaign.Id;
            Scenario = spec.Scenario;
            Sybils = spec.Scenario == CampaignSpec.BenignOnly ? 0 : spec.Sybils;
            Mix = spec.Mix;
            Variant = spec.Variant;
            Seed = spec.Seed;
            Queries = spec.Queries;
            AttackerRequests = spec.AttackerRequests;
            AttackQueries = spec.Scenario == CampaignSpec.BenignOnly ? null : spec.AttackBudget;
            AttackLevel = spec.Scenario == CampaignSpec.BenignOnly ? null : options.AttackLevel;
            BenignClients = campaign.Actors.Count(a => a.Label.Role == Roles.Benign);
            SpanSeconds = Math.Round(campaign.SpanSeconds, 1);
            Target = options.Target?.ToString();
            Speedup = options.Runner.Speedup;
        }

        public string Type => "campaign";

        public string Campaign { get; }

        public string Scenario { get; }

        public int Sybils { get; }

        public double Mix { get; }

        public string Variant { get; }

        public ulong Seed { get; }

        public int Queries { get; }

        public int AttackerRequests { get; }

        public int? AttackQueries { get; }

        public string? AttackLevel { get; }

        public int BenignClients { get; }

        public double SpanSeconds { get; }

        public string? Target { get; }

        public double Speedup { get; }
    }
}
