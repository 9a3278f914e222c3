using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.LoadTests.ProofOfWork;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Enforcement.Ladder;

/// <summary>
/// Each rung of the ladder end to end through the official OpenAI .NET client, on real Redis: admin-set risk and
/// levels, delay, proof-of-work (solved by the reference solver), block and unblock, the audit trail.
/// </summary>
public sealed class LadderThroughGatewayTests : IClassFixture<SharedRedisFixture>
{
    private readonly SharedRedisFixture _redis;

    public LadderThroughGatewayTests(SharedRedisFixture redis) => _redis = redis;

    private string[] Args(params string[] extra) =>
    [
        $"--GenSafety:Redis:ConnectionString={_redis.EndPoint}",
        $"--GenSafety:Redis:KeyPrefix={SharedRedisFixture.NewKeyPrefix()}",
        "--GenSafety:Enforcement:ProofOfWork:Secret=ladder-tests-secret-0123456789abcdef",
        "--GenSafety:Enforcement:ProofOfWork:MinBits=6",
        "--GenSafety:Enforcement:ProofOfWork:MaxBits=12",
        "--GenSafety:Enforcement:Risk:MinDelay=00:00:00.400",
        "--GenSafety:Enforcement:Risk:MaxDelay=00:00:00.800",
        "--GenSafety:Policies:three-per-minute:RequestsPerMinute=3",
        .. extra,
    ];

    [Fact]
    public async Task Block_RefusesWith403_UntilAdminUnblocks_AndBothAreAudited()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        var chat = Chat(gateway, await CreateClientAsync(gateway, "suspect"));
        await AskAsync(chat);

        var pinned = await PutAsync(gateway, "/admin/clients/suspect/level", new { level = 4, reason = "manual review: bulk scraping" });
        var blocked = await Assert.ThrowsAsync<ClientResultException>(() => AskAsync(chat));
        var unblocked = await gateway.Admin.PostAsJsonAsync("/admin/clients/suspect/unblock", new { reason = "appeal accepted" });
        var after = await AskAsync(chat);
        var audit = await GetAsync(gateway, "/admin/audit?client=suspect");
        var detail = await GetAsync(gateway, "/admin/clients/suspect");

        Assert.Equal("L4", pinned.GetProperty("level").GetString());
        Assert.Equal(403, blocked.Status);
        Assert.Equal("client_blocked", ErrorCode(blocked));
        Assert.Equal(HttpStatusCode.OK, unblocked.StatusCode);
        Assert.Equal("ok", after.Value.Content[0].Text);
        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(("L4", "L0", "appeal accepted"), (entries[0].GetProperty("from").GetString(), entries[0].GetProperty("to").GetString(), entries[0].GetProperty("reason").GetString()));
        Assert.Equal(("L0", "L4", "manual review: bulk scraping"), (entries[1].GetProperty("from").GetString(), entries[1].GetProperty("to").GetString(), entries[1].GetProperty("reason").GetString()));
        Assert.All(entries, e => Assert.Equal("admin", e.GetProperty("actor").GetString()));
        Assert.Equal("L0", detail.GetProperty("enforcement").GetProperty("level").GetString());
        Assert.Equal("default", detail.GetProperty("limits").GetProperty("policy").GetString());
        Assert.True(detail.GetProperty("usage").GetProperty("requests").GetInt64() >= 2);
    }

    [Fact]
    public async Task RiskOverBlockThreshold_BlocksWithRetryAfter_AndShowsTheReason()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args("--GenSafety:Enforcement:Risk:BlockDuration=00:10:00"));
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "risky"));

        var set = await PutAsync(gateway, "/admin/clients/risky/risk", new { risk = 0.95, reason = "detector drill" });
        var response = await client.PostAsync("/v1/chat/completions", ChatBody());
        var detail = await GetAsync(gateway, "/admin/clients/risky");

        Assert.Equal("L4", set.GetProperty("level").GetString());
        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.Forbidden, "client_blocked");
        Assert.InRange(int.Parse(response.Headers.GetValues("retry-after").Single()), 590, 600);
        var reason = detail.GetProperty("enforcement").GetProperty("reasons")[0];
        Assert.Equal(("admin", "detector drill"), (reason.GetProperty("source").GetString(), reason.GetProperty("reason").GetString()));
        Assert.True(detail.GetProperty("enforcement").TryGetProperty("blocked_until", out _));
    }

    [Fact]
    public async Task Delay_AtL1_AddsAtLeastTheConfiguredLatency()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        var chat = Chat(gateway, await CreateClientAsync(gateway, "slow"));
        await AskAsync(chat);

        var set = await PutAsync(gateway, "/admin/clients/slow/risk", new { risk = 0.35, reason = "delay drill" });
        var watch = Stopwatch.StartNew();
        await AskAsync(chat);
        var delayed = watch.Elapsed;

        Assert.Equal("L1", set.GetProperty("level").GetString());
        // MinDelay is 400 ms at the L1 threshold (0.3) and grows linearly to 800 ms at risk 1: 0.35 → about 429 ms.
        Assert.True(delayed >= TimeSpan.FromMilliseconds(420), $"request took {delayed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task ProofOfWork_ChallengeSolvedByReferenceSolver_IsAccepted_ReplayAndForeignProofsAreNot()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        var key = await CreateClientAsync(gateway, "miner");
        var otherKey = await CreateClientAsync(gateway, "bystander");
        await PutAsync(gateway, "/admin/clients/miner/level", new { level = "L3", reason = "pow drill" });
        await PutAsync(gateway, "/admin/clients/bystander/level", new { level = 3, reason = "pow drill" });

        // The plain OpenAI client sees the challenge as a 429 with code challenge_required.
        var challenged = await Assert.ThrowsAsync<ClientResultException>(() => AskAsync(Chat(gateway, key)));
        Assert.Equal((429, "challenge_required"), (challenged.Status, ErrorCode(challenged)));
        Assert.Matches("^[A-Za-z0-9_.-]+; bits=\\d+$", challenged.GetRawResponse()!.Headers.TryGetValue("x-gensafety-challenge", out var header) ? header : "");

        // Wrapped in the reference handler, the same client solves and gets its answer.
        using var solving = new ProofOfWorkHandler(new HttpClientHandler());
        var answered = await AskAsync(Chat(gateway, key, solving));
        Assert.Equal("ok", answered.Value.Content[0].Text);
        Assert.Equal(1, solving.Solved);

        // By hand: a solved proof works once; a replay and a proof solved for another client are refused.
        using var miner = gateway.PublicWithKey(key);
        using var bystander = gateway.PublicWithKey(otherKey);
        var proof = await SolveAsync(miner);
        Assert.Equal(HttpStatusCode.OK, (await SendWithProofAsync(miner, proof)).StatusCode);
        await ErrorAssert.IsOpenAIErrorAsync(await SendWithProofAsync(miner, proof), HttpStatusCode.TooManyRequests, "challenge_required");
        await ErrorAssert.IsOpenAIErrorAsync(await SendWithProofAsync(bystander, await SolveAsync(miner)), HttpStatusCode.TooManyRequests, "challenge_required");
    }

    [Fact]
    public async Task ProofOfWork_ExpiredProof_IsRefused()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args("--GenSafety:Enforcement:ProofOfWork:TokenLifetime=00:00:01"));
        var key = await CreateClientAsync(gateway, "late");
        await PutAsync(gateway, "/admin/clients/late/level", new { level = 3, reason = "pow drill" });
        using var client = gateway.PublicWithKey(key);

        var proof = await SolveAsync(client);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var response = await SendWithProofAsync(client, proof);

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.TooManyRequests, "challenge_required");
        Assert.True(response.Headers.Contains("x-gensafety-challenge"), "a fresh challenge comes with the refusal");
    }

    [Fact]
    public async Task PolicyChangedOnOneReplica_AppliesOnTheOtherAtTheNextRequest()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        var args = Args();
        await using var first = await GatewayHost.StartAsync(upstream.Url, args);
        await using var second = await GatewayHost.StartAsync(upstream.Url, args);
        using var viaSecond = second.PublicWithKey(await CreateClientAsync(first, "mover"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await viaSecond.PostAsync("/v1/chat/completions", ChatBody())).StatusCode); // identity now cached on the second replica
        }

        var patched = await first.Admin.PatchAsJsonAsync("/admin/clients/mover", new { policy = "three-per-minute" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await viaSecond.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var unknown = await first.Admin.PatchAsJsonAsync("/admin/clients/mover", new { policy = "no-such-policy" });
        await ErrorAssert.IsOpenAIErrorAsync(unknown, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task AdminEndpoints_RejectBadInput_WithOpenAIErrors()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        await CreateClientAsync(gateway, "target");

        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.PutAsJsonAsync("/admin/clients/target/level", new { level = 7, reason = "x" }), HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.PutAsJsonAsync("/admin/clients/target/level", new { level = 2 }), HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.PutAsJsonAsync("/admin/clients/target/risk", new { risk = 1.5, reason = "x" }), HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(
            await gateway.Admin.PutAsync("/admin/clients/target/risk", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.PutAsJsonAsync("/admin/clients/ghost/level", new { level = 1, reason = "x" }), HttpStatusCode.NotFound, "not_found");
        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.GetAsync("/admin/audit?count=0"), HttpStatusCode.BadRequest, "invalid_request");
    }

    private static async Task<string> SolveAsync(HttpClient client)
    {
        var response = await client.PostAsync("/v1/chat/completions", ChatBody());
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var (token, bits) = ProofOfWorkSolver.ParseChallenge(response.Headers.GetValues("x-gensafety-challenge").Single());
        return ProofOfWorkSolver.ProofHeader(token, ProofOfWorkSolver.Solve(token, bits, CancellationToken.None));
    }

    private static Task<HttpResponseMessage> SendWithProofAsync(HttpClient client, string proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatBody() };
        request.Headers.Add("x-gensafety-pow", proof);
        return client.SendAsync(request);
    }
}
