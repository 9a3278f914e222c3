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

    /// <summary>Plays the campaigns of <paramref name="runArgs"/> (options of <c>run</c>) through the gateway and scores them.</summary>
    public async Task<DetectionScore> RunAsync(params string[] runArgs)
    {
        var records = Path.Combine(Path.GetTempPath(), $"gensafety-bench-{Guid.NewGuid():N}.jsonl");
        try
        {
            var options = BenchCommand.ParseRunOptions([.. runArgs, "--out", records, "--run-id", "t" + Guid.NewGuid().ToString("N")[..8]], out var errors);
            Assert.Empty(errors);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            return await BenchCommand.RunAndScoreAsync(Target, options, TextWriter.Null, null, timeout.Token);
        }
        finally
        {
            File.Delete(records);
        }
    }

    /// <summary>The same campaigns straight at the reference model (undefended, no admin API), scored.</summary>
    public async Task<DetectionScore> RunDirectAsync(params string[] runArgs)
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

[CollectionDefinition(Name)]
public sealed class DetectionBenchDefinition : ICollectionFixture<DetectionBenchFixture>
{
    public const string Name = "detection-bench";
}
