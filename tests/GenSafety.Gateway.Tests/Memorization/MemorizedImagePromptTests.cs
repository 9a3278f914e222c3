using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>
/// Memorised image prompts, end to end: the reference model ignores the seed for its memorised prompts and draws a
/// new picture for any other prompt and seed. Clients whose images stay the same picture across <c>n</c> or across
/// requests with other (or no) seeds get the <c>memorized_image_prompt</c> signal; other prompts, and one explicit seed
/// repeated, do not. No image is protected.
/// </summary>
public sealed class MemorizedImagePromptTests
{
    private const string Signal = "generated images stay the same picture";

    [Fact]
    public async Task SamePictureAcrossNOrSeeds_Flagged_NewPicturesOrARepeatedSeed_NotFlagged()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, [.. GatewayArgs, "--GenSafety:Memorization:PromptCheck=false"]);

        // A memorised prompt, n = 2: both images are its training picture.
        Assert.True(await RunAsync(gateway, "memorised-n", ("a red lighthouse on a rocky cliff at sunset", 2, null)));
        // A memorised prompt asked twice without a seed (the model draws one each time).
        Assert.True(await RunAsync(gateway, "memorised-again", ("portrait of a woman with a pearl earring", 1, null), ("Portrait of a woman  with a pearl earring", 1, null)));
        // A memorised prompt with two different seeds.
        Assert.True(await RunAsync(gateway, "memorised-seeds", ("a starry night over a small village", 1, 11), ("a starry night over a small village", 1, 12)));

        // Ordinary prompts: new pictures for n = 4 and for each request.
        Assert.False(await RunAsync(gateway, "ordinary-n", ("a quiet harbour with fishing boats", 4, null)));
        Assert.False(await RunAsync(gateway, "ordinary-again", ("a green field under a grey sky", 1, null), ("a green field under a grey sky", 1, null), ("a green field under a grey sky", 1, 3)));
        // One explicit seed repeated reproduces the picture, as it should.
        Assert.False(await RunAsync(gateway, "same-seed", ("a small red boat on a lake", 1, 42), ("a small red boat on a lake", 1, 42)));
    }

    [Fact]
    public async Task CheckOff_NoSignal()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
            [.. GatewayArgs, "--GenSafety:Memorization:PromptCheck=false", "--GenSafety:Memorization:ImagePromptCheck=false"]);

        Assert.False(await RunAsync(gateway, "memorised-n", ("a red lighthouse on a rocky cliff at sunset", 3, null)));
    }

    // Sends the requests as one new client; whether its reasons then hold the signal.
    private static async Task<bool> RunAsync(GatewayHost gateway, string id, params (string Prompt, int N, long? Seed)[] requests)
    {
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(id));
        foreach (var (prompt, n, seed) in requests)
        {
            var body = JsonSerializer.Serialize(new { model = "reference-images", prompt, n, size = "256x256", response_format = "b64_json", seed });
            using var response = await client.PostAsync("/v1/images/generations", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return await HasMemorizationReasonAsync(gateway, id, Signal, 20);
    }
}
