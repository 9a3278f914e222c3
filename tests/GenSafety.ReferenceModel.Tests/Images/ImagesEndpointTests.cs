using GenSafety.ReferenceModel.Tests.TestHost;
using OpenAI.Images;
using SkiaSharp;

namespace GenSafety.ReferenceModel.Tests.Images;

[Collection(SharedHostGroup.Name)]
public sealed class ImagesEndpointTests(SharedHost shared)
{
    private readonly ReferenceModelHost _host = shared.Host;

    [Fact]
    public async Task GenerateImage_OpenAIClient_ReturnsDecodablePng()
    {
        var client = _host.OpenAI().GetImageClient("reference-image");

        GeneratedImage image = await client.GenerateImageAsync("a lighthouse", new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256 });

        using var bitmap = SKBitmap.Decode(image.ImageBytes.ToArray());
        Assert.Equal(256, bitmap.Width);
        Assert.Equal(256, bitmap.Height);
        Assert.True(bitmap.Pixels.Distinct().Count() > 100, "the image should not be flat");
    }

    [Theory]
    [InlineData("256x256", 256)]
    [InlineData("512x512", 512)]
    [InlineData("1024x1024", 1024)]
    public async Task Images_Size_MatchesRequest(string size, int pixels)
    {
        var images = await GenerateAsync("a forest", 1, size, seed: 1);

        using var bitmap = SKBitmap.Decode(images[0]);
        Assert.Equal(pixels, bitmap.Width);
        Assert.Equal(pixels, bitmap.Height);
    }

    [Fact]
    public async Task Images_SamePromptAndSeed_IdenticalAndOtherSeedsDiffer()
    {
        var first = await GenerateAsync("a red boat", 2, "256x256", seed: 7);
        var again = await GenerateAsync("a red boat", 2, "256x256", seed: 7);
        var other = await GenerateAsync("a red boat", 1, "256x256", seed: 8);
        var otherPrompt = await GenerateAsync("a blue boat", 1, "256x256", seed: 7);

        Assert.Equal(first[0], again[0]);
        Assert.Equal(first[1], again[1]);
        Assert.NotEqual(first[0], first[1]);
        Assert.NotEqual(first[0], other[0]);
        Assert.NotEqual(first[0], otherPrompt[0]);
    }

    [Fact]
    public async Task Images_MemorizedPrompt_SameTrainingImageWhateverTheSeed()
    {
        var a = await GenerateAsync("a red lighthouse on a rocky cliff at sunset", 2, "256x256", seed: 1);
        var b = await GenerateAsync("  A Red Lighthouse on a rocky cliff   at sunset ", 1, "256x256", seed: 999);
        var c = await GenerateAsync("a red lighthouse on a rocky cliff at sunset", 1, "256x256", seed: null);

        Assert.Equal(a[0], a[1]);
        Assert.Equal(a[0], b[0]);
        Assert.Equal(a[0], c[0]);
    }

    [Fact]
    public async Task Images_ConfiguredMemorizedPrompts_ReplaceShippedList()
    {
        await using var host = await ReferenceModelHost.StartAsync(o => o.MemorizedImagePrompts = ["my protected artwork"]);

        var configured1 = await GenerateAsync(host, "my protected artwork", 1, "256x256", seed: 1);
        var configured2 = await GenerateAsync(host, "my protected artwork", 1, "256x256", seed: 2);
        var shipped1 = await GenerateAsync(host, "a red lighthouse on a rocky cliff at sunset", 1, "256x256", seed: 1);
        var shipped2 = await GenerateAsync(host, "a red lighthouse on a rocky cliff at sunset", 1, "256x256", seed: 2);

        Assert.Equal(configured1[0], configured2[0]);
        Assert.NotEqual(shipped1[0], shipped2[0]);
    }

    [Fact]
    public async Task Images_FourImages_ReturnsFour()
    {
        var images = await GenerateAsync("tiles", 4, "256x256", seed: 3);

        Assert.Equal(4, images.Length);
        Assert.Equal(4, images.Distinct(new ByteArrayComparer()).Count());
    }

    private Task<byte[][]> GenerateAsync(string prompt, int n, string size, long? seed) => GenerateAsync(_host, prompt, n, size, seed);

    private static async Task<byte[][]> GenerateAsync(ReferenceModelHost host, string prompt, int n, string size, long? seed)
    {
        var seedField = seed is null ? string.Empty : $",\"seed\":{seed}";
        var (status, body) = await HttpJson.PostAsync(host.Http, "/v1/images/generations",
            $$"""{"model":"reference-image","prompt":{{HttpJson.Quote(prompt)}},"n":{{n}},"size":"{{size}}","response_format":"b64_json"{{seedField}}}""");
        Assert.Equal(200, (int)status);
        Assert.True(body.GetProperty("created").GetInt64() > 0);
        return body.GetProperty("data").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)).ToArray();
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
