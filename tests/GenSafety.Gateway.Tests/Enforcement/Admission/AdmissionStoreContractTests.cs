using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>
/// Behaviour every <see cref="IAdmissionStore"/> must have, run against Redis and memory. The clock is a
/// <see cref="TestTimeProvider"/> passed as <see cref="AdmissionRequest.Now"/>, so Redis uses it too.
/// </summary>
public abstract class AdmissionStoreContractTests : IAsyncLifetime
{
    private ServiceProvider? _services;

    protected TestTimeProvider Time { get; } = new();

    protected string Tenant { get; } = SharedRedisFixture.NewId("tenant");

    protected IAdmissionStore Store { get; private set; } = null!;

    protected abstract string ExpectedKind { get; }

    protected abstract Dictionary<string, string?> Settings();

    public Task InitializeAsync()
    {
        _services = AdmissionTestServices.Build(Settings(), Time);
        Store = _services.GetRequiredService<IAdmissionStore>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private ValueTask<AdmissionDecision> Admit(ClientIdentity client, PolicyLimits limits, long input = 0, long output = 0, bool stream = false) =>
        Store.AdmitAsync(new AdmissionRequest(client, input, output, stream, Time.GetUtcNow()), limits, default);

    [Fact]
    public void Kind_NamesTheBackend() => Assert.Equal(ExpectedKind, Store.Kind);

    [Fact]
    public async Task Requests_LimitAdmitted_ThenRejectedWithRetryAfter_ThenRefills()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(rpm: 5);

        for (int i = 0; i < 5; i++)
        {
            AdmissionDecision ok = await Admit(client, limits);
            Assert.True(ok.Admitted);
            Assert.Equal(new RateLimitStatus(5, 4 - i, TimeSpan.FromSeconds(12 * (i + 1))), ok.Requests);
        }

        AdmissionDecision rejected = await Admit(client, limits);
        Assert.False(rejected.Admitted);
        Assert.Null(rejected.Reservation);
        Assert.Equal(AdmissionLimit.Requests, rejected.Limit);
        Assert.Equal(TimeSpan.FromSeconds(12), rejected.RetryAfter);
        Assert.Equal(0, rejected.Requests.Remaining);

        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.False((await Admit(client, limits)).Admitted);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admit(client, limits)).Admitted);
        Assert.False((await Admit(client, limits)).Admitted);

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, (await Admit(client, limits)).Requests.Remaining);
    }

    [Fact]
    public async Task Tokens_ReserveInputPlusOutput_ReconcileReturnsTheDifference()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(tpm: 1000);

        AdmissionDecision first = await Admit(client, limits, input: 100, output: 800);
        Assert.True(first.Admitted);
        Assert.Equal(100, first.Tokens.Remaining);

        AdmissionDecision tooBig = await Admit(client, limits, input: 100, output: 100);
        Assert.False(tooBig.Admitted);
        Assert.Equal(AdmissionLimit.Tokens, tooBig.Limit);
        Assert.Equal(TimeSpan.FromSeconds(6), tooBig.RetryAfter); // 100 tokens over at 1000/min

        Assert.Equal(790, await Store.ReconcileAsync(first.Reservation!, 10, default));

        AdmissionDecision after = await Admit(client, limits, input: 100, output: 100);
        Assert.True(after.Admitted);
        Assert.Equal(690, after.Tokens.Remaining);

        // More output than reserved is charged afterwards.
        Assert.Equal(-300, await Store.ReconcileAsync(after.Reservation!, 400, default));
        Assert.Equal(AdmissionLimit.Tokens, (await Admit(client, limits, input: 500)).Limit);
        Assert.True((await Admit(client, limits, input: 390)).Admitted);
    }

    [Fact]
    public async Task Tokens_RequestLargerThanTheLimit_NeverAdmitted()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        AdmissionDecision d = await Admit(client, AdmissionTestServices.Limits(tpm: 100), input: 101);
        Assert.Equal(AdmissionLimit.Tokens, d.Limit);
        Assert.Equal(TimeSpan.FromMinutes(1), d.RetryAfter);
    }

    [Fact]
    public async Task ConcurrentStreams_SlotsTakenAndReleased()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(streams: 2);

        AdmissionDecision a = await Admit(client, limits, stream: true);
        Assert.True(a.Admitted);
        Assert.True((await Admit(client, limits, stream: true)).Admitted);
        AdmissionDecision third = await Admit(client, limits, stream: true);
        Assert.Equal(AdmissionLimit.ConcurrentStreams, third.Limit);
        Assert.True(third.RetryAfter > TimeSpan.Zero);
        Assert.True((await Admit(client, limits, stream: false)).Admitted);

        await Store.ReleaseStreamAsync(a.Reservation!, default);
        Assert.True((await Admit(client, limits, stream: true)).Admitted);
        Assert.False((await Admit(client, limits, stream: true)).Admitted);

        // A slot never released (crashed replica) frees itself after the slot TTL.
        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await Admit(client, limits, stream: true)).Admitted);
    }

    [Fact]
    public async Task DailyQuota_ExhaustedUntilUtcMidnight_ReconcileRefunds()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(daily: 1000);

        AdmissionDecision first = await Admit(client, limits, input: 100, output: 500);
        Assert.Equal(400, first.DailyTokensRemaining);
        AdmissionDecision over = await Admit(client, limits, input: 500);
        Assert.Equal(AdmissionLimit.DailyTokens, over.Limit);
        DateTimeOffset now = Time.GetUtcNow();
        TimeSpan untilMidnight = now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
        Assert.InRange(over.RetryAfter, untilMidnight - TimeSpan.FromMilliseconds(1), untilMidnight + TimeSpan.FromMilliseconds(1));

        Assert.Equal(400, await Store.ReconcileAsync(first.Reservation!, 100, default));
        Assert.Equal(300, (await Admit(client, limits, input: 500)).DailyTokensRemaining);

        Time.Advance(untilMidnight);
        Assert.Equal(0, (await Admit(client, limits, input: 1000)).DailyTokensRemaining);
    }

    [Fact]
    public async Task Rejection_ChargesNothing()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(rpm: 100, tpm: 1000, daily: 100_000);
        Assert.True((await Admit(client, limits, input: 900)).Admitted);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(AdmissionLimit.Tokens, (await Admit(client, limits, input: 200)).Limit);
        }

        AdmissionDecision d = await Admit(client, limits, input: 100);
        Assert.True(d.Admitted);
        Assert.Equal(98, d.Requests.Remaining);
        Assert.Equal(100_000 - 1000, d.DailyTokensRemaining);
    }

    [Fact]
    public async Task Unlimited_AlwaysAdmitted()
    {
        ClientIdentity client = AdmissionTestServices.NewClient(_services!, Tenant);
        for (int i = 0; i < 20; i++)
        {
            AdmissionDecision d = await Admit(client, PolicyLimits.Unlimited, input: 1_000_000, stream: true);
            Assert.True(d.Admitted);
            Assert.Empty(d.Headers());
        }
    }
}

public sealed class InMemoryAdmissionStoreContractTests : AdmissionStoreContractTests
{
    protected override string ExpectedKind => InMemoryAdmissionStore.KindName;

    protected override Dictionary<string, string?> Settings() => [];
}

[Collection(SharedRedisDefinition.Name)]
public sealed class RedisAdmissionStoreContractTests(SharedRedisFixture redis) : AdmissionStoreContractTests
{
    protected override string ExpectedKind => RedisAdmissionStore.KindName;

    protected override Dictionary<string, string?> Settings() => AdmissionTestServices.Redis(redis.EndPoint, SharedRedisFixture.NewKeyPrefix());
}
