using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using OpenAI.Embeddings;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Enforcement.Ladder;

/// <summary>L2 (degrade) end to end through the official OpenAI client against the reference model.</summary>
public sealed class DegradeThroughGatewayTests : IClassFixture<SharedRedisFixture>
{
    private readonly SharedRedisFixture _redis;

    public DegradeThroughGatewayTests(SharedRedisFixture redis) => _redis = redis;

    [Fact]
    public async Task Degraded_Chat_LogprobsCappedAndQuantized_Embeddings_NoisyWithTheB4BSigma()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
        [
            $"--GenSafety:Redis:ConnectionString={_redis.EndPoint}",
            $"--GenSafety:Redis:KeyPrefix={SharedRedisFixture.NewKeyPrefix()}",
            "--GenSafety:Enforcement:Degrade:MaxTopLogprobs=1",
            "--GenSafety:Enforcement:Degrade:LogprobQuantum=0.5",
        ]);
        var suspectKey = await CreateClientAsync(gateway, "degraded");
        var cleanKey = await CreateClientAsync(gateway, "clean");
        await PutAsync(gateway, "/admin/clients/degraded/level", new { level = 2, reason = "degrade drill" });
        await gateway.Services.GetRequiredService<IRiskStore>().SetCoverageAsync("default", "degraded", 0.8, default);

        var chatOptions = new ChatCompletionOptions { MaxOutputTokenCount = 12, Temperature = 0, IncludeLogProbabilities = true, TopLogProbabilityCount = 5 };
        var clean = await Chat(gateway, cleanKey).CompleteChatAsync([new UserChatMessage("Tell me about the sea")], chatOptions);
        var degraded = await Chat(gateway, suspectKey).CompleteChatAsync([new UserChatMessage("Tell me about the sea")], chatOptions);

        Assert.Contains(clean.Value.ContentTokenLogProbabilities, t => t.TopLogProbabilities.Count == 5);
        Assert.NotEmpty(degraded.Value.ContentTokenLogProbabilities);
        Assert.All(degraded.Value.ContentTokenLogProbabilities, t =>
        {
            Assert.True(t.TopLogProbabilities.Count <= 1);
            Assert.Equal(0, Math.IEEERemainder(t.LogProbability, 0.5), 6);
        });
        Assert.True(degraded.GetRawResponse().Headers.TryGetValue("x-gensafety-degraded", out var changes));
        Assert.Contains("top_logprobs_capped", changes);

        var input = "a lighthouse on a rocky coast at dusk";
        var reference = await Embeddings(gateway, cleanKey).GenerateEmbeddingAsync(input);
        var noisy = await Embeddings(gateway, suspectKey).GenerateEmbeddingAsync(input);
        var a = reference.Value.ToFloats().ToArray();
        var b = noisy.Value.ToFloats().ToArray();
        var diffs = a.Zip(b, (x, y) => (double)y - x).ToArray();
        var mean = diffs.Average();
        var sigma = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (diffs.Length - 1));

        // B4B: σ(80 %) = 0.8 with λ = 1e-6, α = 0.8, β = 80. 384 draws: the sample σ lies within ±15 % with overwhelming probability.
        Assert.Equal(384, diffs.Length);
        Assert.InRange(sigma, 0.68, 0.92);
    }

    private static EmbeddingClient Embeddings(GatewayHost gateway, string key) => new(
        "reference-minilm", new System.ClientModel.ApiKeyCredential(key),
        new OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.PublicUrl + "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
}
