using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Traffic.Bench;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Tests.Bench;

/// <summary>
/// One benchmark target for the collection: the built gateway (from this test's output folder) with detection on,
/// on the Redis of ./test.sh (<c>GENSAFETY_TEST_REDIS</c>) or a private redis-server, the reference model behind it.
/// </summary>
public sealed class DetectionBenchFixture : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<DetectionScore>> _direct = new();
    private RedisServerProcess? _ownRedis;
    private BenchTarget? _target;

    /// <summary>The running target.</summary>
    public BenchTarget Target => _target ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        var redis = Environment.GetEnvironmentVariable("GENSAFETY_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            _ownRedis = await RedisServerProcess.StartNewAsync();
            redis = _ownRedis.EndPoint;
        }

        _target = await BenchTarget.StartAsync(Path.Combine(AppContext.BaseDirectory, "GenSafety.Gateway.dll"), redis.Trim(), [], CancellationToken.None);
    }

    /// <summary>
    /// Plays the campaigns of <paramref name="runArgs"/> (options of <c>run</c>) through the gateway, in a tenant of
    /// their own (tenant-wide campaign evidence of one test must not reach the next), and scores them.
    /// </summary>
    public async Task<BenchRun> RunAsync(params string[] runArgs)
    {
        var records = Path.Combine(Path.GetTempPath(), $"gensafety-bench-{Guid.NewGuid():N}.jsonl");
        try
        {
            var runId = "t" + Guid.NewGuid().ToString("N")[..8];
            var options = BenchCommand.ParseRunOptions([.. runArgs, "--out", records, "--run-id", runId, "--tenant", runId], out var errors);
            Assert.Empty(errors);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var score = await BenchCommand.RunAndScoreAsync(Target, options, TextWriter.Null, null, timeout.Token);
            return new BenchRun(score, FlaggedBenignClients(records));
        }
        finally
        {
            File.Delete(records);
        }
    }

    /// <summary>
    /// The same campaigns straight at the reference model (undefended, no admin API), scored. Seeded, so one run per
    /// set of arguments serves every test of the collection.
    /// </summary>
    public Task<DetectionScore> RunDirectAsync(params string[] runArgs)
        => _direct.GetOrAdd(string.Join('\u001f', runArgs), _ => RunDirectOnceAsync(runArgs));

    private async Task<DetectionScore> RunDirectOnceAsync(string[] runArgs)
    {
        var records = Path.Combine(Path.GetTempPath(), $"gensafety-bench-{Guid.NewGuid():N}.jsonl");
        try
        {
            var options = TrafficRunOptions.Parse([.. runArgs, "--target", Target.ModelUrl.ToString(), "--out", records], needsTarget: true, out var errors);
            Assert.Empty(errors);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            Assert.Equal(0, await RunCommand.ExecuteAsync(options, TextWriter.Null, timeout.Token));
            return DetectionScorer.Score(ScoringRecords.Read([records]));
        }
        finally
        {
            File.Delete(records);
        }
    }

    // What a failed false-positive assertion needs to name the cause: each flagged benign client's persona, answers
    // and the enforcement read back (level and its reasons).
    private static List<string> FlaggedBenignClients(string records)
    {
        var flagged = new List<string>();
        foreach (var line in File.ReadLines(records))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.GetProperty("type").GetString() != "client" || root.GetProperty("role").GetString() != "benign")
            {
                continue;
            }

            var enforcement = root.TryGetProperty("enforcement", out var e) && e.ValueKind == JsonValueKind.Object ? e : (JsonElement?)null;
            var level = enforcement?.GetProperty("level").GetString();
            var acted = root.TryGetProperty("first_action_seq", out var first) && first.ValueKind == JsonValueKind.Number;
            if (acted || level is not (null or "L0"))
            {
                flagged.Add($"{root.GetProperty("family").GetString()} {root.GetProperty("client").GetString()}: level {level ?? "?"}, " +
                    $"reasons {(enforcement is { } x && x.TryGetProperty("reason_details", out var details) ? details : enforcement?.GetProperty("reasons"))?.GetRawText() ?? "[]"}, statuses {root.GetProperty("statuses").GetRawText()}, errors {root.GetProperty("errors").GetRawText()}");
            }
        }

        return flagged;
    }

    public async Task DisposeAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }

        if (_ownRedis is not null)
        {
            await _ownRedis.DisposeAsync();
        }
    }
}

/// <summary>A scored bench run and, for failure messages, a line per flagged benign client.</summary>
public sealed record BenchRun(DetectionScore Score, IReadOnlyList<string> FlaggedBenign)
{
    /// <summary>The flagged benign clients, one per line, for an assertion message.</summary>
    public string DescribeFlagged() => FlaggedBenign.Count == 0 ? "none" : string.Join("\n", FlaggedBenign);
}

[CollectionDefinition(Name)]
public sealed class DetectionBenchDefinition : ICollectionFixture<DetectionBenchFixture>
{
    public const string Name = "detection-bench";
}
