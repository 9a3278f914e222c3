using System.Diagnostics.Metrics;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.LoadTests.ProofOfWork;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

[Collection(SharedRedisDefinition.Name)]
public sealed class ProofOfWorkServiceTests(SharedRedisFixture redis)
{
    public static TheoryData<bool> Stores => [false, true];

    private ServiceProvider Build(bool useRedis, TimeProvider? time = null) =>
        PowTestServices.Build(useRedis ? redis.EndPoint : null, time, SharedRedisFixture.NewKeyPrefix());

    private static string Solve(ProofOfWorkChallenge challenge)
    {
        (string token, int bits) = ProofOfWorkSolver.ParseChallenge(challenge.HeaderValue);
        return ProofOfWorkSolver.ProofHeader(token, ProofOfWorkSolver.Solve(token, bits, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task IssueSolveVerify_ValidOnce_ThenReplayed(bool useRedis)
    {
        await using ServiceProvider services = Build(useRedis);
        var pow = services.GetRequiredService<ProofOfWorkService>();
        ClientIdentity client = PowTestServices.NewClient();

        ProofOfWorkChallenge challenge = pow.Issue(client, 10);
        string proof = Solve(challenge);

        Assert.Equal($"{challenge.Token}; bits=10", challenge.HeaderValue);
        Assert.Equal(ChallengeResult.Valid, (await pow.VerifyAsync(proof, client, default)).Result);
        Assert.Equal(ChallengeResult.Replayed, (await pow.VerifyAsync(proof, client, default)).Result);
        Assert.IsType(useRedis ? typeof(RedisChallengeReplayGuard) : typeof(InMemoryChallengeReplayGuard), services.GetRequiredService<IChallengeReplayGuard>());
    }

    [Fact]
    public async Task Verify_Expired_UsesInjectedClock()
    {
        var time = new TestTimeProvider();
        await using ServiceProvider services = Build(useRedis: false, time);
        var pow = services.GetRequiredService<ProofOfWorkService>();
        ClientIdentity client = PowTestServices.NewClient();
        ProofOfWorkChallenge challenge = pow.Issue(client, 4);
        string proof = Solve(challenge);

        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(ChallengeResult.Expired, (await pow.VerifyAsync(proof, client, default)).Result);
    }

    [Fact]
    public async Task Verify_RejectedProof_DoesNotConsumeToken()
    {
        await using ServiceProvider services = Build(useRedis: true);
        var pow = services.GetRequiredService<ProofOfWorkService>();
        ClientIdentity client = PowTestServices.NewClient();
        ProofOfWorkChallenge challenge = pow.Issue(client, 10);
        string proof = Solve(challenge);

        Assert.Equal(ChallengeResult.WrongClient, (await pow.VerifyAsync(proof, PowTestServices.NewClient(client.Tenant), default)).Result);
        Assert.Equal(ChallengeResult.Valid, (await pow.VerifyAsync(proof, client, default)).Result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("token-without-nonce")]
    [InlineData(":nonce")]
    public async Task Verify_MalformedHeader_IsMalformed(string? header)
    {
        await using ServiceProvider services = Build(useRedis: false);

        ChallengeVerification result = await services.GetRequiredService<ProofOfWorkService>().VerifyAsync(header, PowTestServices.NewClient(), default);

        Assert.Equal(ChallengeResult.Malformed, result.Result);
    }

    [Fact]
    public async Task Calibration_FollowsOptions()
    {
        await using ServiceProvider services = Build(useRedis: false);
        var pow = services.GetRequiredService<ProofOfWorkService>();

        Assert.Equal((8, 28), (pow.Calibration.MinBits, pow.Calibration.MaxBits));
        Assert.Equal(DifficultyCalibration.FromOptions(services.GetRequiredService<IOptions<ProofOfWorkOptions>>().Value).Slope, pow.Calibration.Slope);
    }

    [Fact]
    public async Task AddProofOfWork_WithoutSecret_SignsWithARandomKeyOfItsOwn()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        await using ServiceProvider first = new ServiceCollection().AddLogging().AddProofOfWork(configuration).BuildServiceProvider();
        await using ServiceProvider second = new ServiceCollection().AddLogging().AddProofOfWork(configuration).BuildServiceProvider();
        var client = new ClientIdentity("c1", "t1", "default", "k1");

        ProofOfWorkChallenge challenge = first.GetRequiredService<ProofOfWorkService>().Issue(client, 4);
        string proof = Solve(challenge);

        Assert.True(first.GetRequiredService<ProofOfWorkService>().Inspect(proof, client).IsValid);
        Assert.Equal(ChallengeResult.BadSignature, second.GetRequiredService<ProofOfWorkService>().Inspect(proof, client).Result);
    }

    [Fact]
    public async Task Metrics_CountIssuedAndVerificationsByResult()
    {
        await using ServiceProvider services = Build(useRedis: false);
        var pow = services.GetRequiredService<ProofOfWorkService>();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Name, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("gensafety.pow.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
            }
        });
        listener.Start();
        ClientIdentity client = PowTestServices.NewClient();

        ProofOfWorkChallenge challenge = pow.Issue(client, 6);
        string proof = Solve(challenge);
        await pow.VerifyAsync(proof, client, default);
        await pow.VerifyAsync(proof, client, default);
        await pow.VerifyAsync("x:y", client, default);

        Assert.Equal(
            [("gensafety.pow.issued", "bits=6"), ("gensafety.pow.verifications", "result=valid"),
             ("gensafety.pow.verifications", "result=replayed"), ("gensafety.pow.verifications", "result=malformed")],
            measurements);
    }

    [Fact]
    public async Task AddProofOfWork_BindsCalibrationFromConfiguration()
    {
        const string Section = PowTestServices.Section;
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{Section}:Secret"] = PowTestServices.Secret,
            [$"{Section}:Calibration:0:Bits"] = "12",
            [$"{Section}:Calibration:0:Seconds"] = "0.002",
            [$"{Section}:Calibration:1:Bits"] = "20",
            [$"{Section}:Calibration:1:Seconds"] = "0.46",
        }).Build();
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddProofOfWork(configuration).BuildServiceProvider();

        DifficultyCalibration calibration = services.GetRequiredService<ProofOfWorkService>().Calibration;

        Assert.Equal(8 / Math.Log10(0.46 / 0.002), calibration.Slope, 6);
        Assert.Equal(20, calibration.BitsForSeconds(0.46), 6);
    }
}
