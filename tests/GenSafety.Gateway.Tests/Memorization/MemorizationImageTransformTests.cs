using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using SkiaSharp;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>Generated images against the protected-image index through a real gateway.</summary>
public sealed class MemorizationImageTransformTests
{
    private static StringContent ImageRequest(int n = 1) => new($$"""{"model":"m","prompt":"a painting","n":{{n}},"response_format":"b64_json"}""", Encoding.UTF8, "application/json");

    private static async Task<(MemorizationUpstream, GatewayHost, HttpClient)> StartAsync(params string[] args)
    {
        var upstream = await MemorizationUpstream.StartAsync();
        var gateway = await GatewayHost.StartAsync(upstream.Url, [.. GatewayArgs, .. args]);
        var response = await gateway.Admin.PostAsJsonAsync("/admin/protected/images", new { images = new[] { new { id = "artwork-1", image_b64 = Convert.ToBase64String(Picture(61)) } } });
        response.EnsureSuccessStatusCode();
        return (upstream, gateway, gateway.PublicWithKey(await gateway.CreateClientKeyAsync()));
    }

    private static byte[] Edited(byte[] png, bool mirror, SKEncodedImageFormat format, int quality)
    {
        using var source = SKBitmap.Decode(png);
        using var target = new SKBitmap(source.Info);
        using (var canvas = new SKCanvas(target))
        {
            if (mirror)
            {
                canvas.Scale(-1, 1, source.Width / 2f, 0);
            }

            canvas.DrawBitmap(source, 0, 0);
        }

        using var image = SKImage.FromBitmap(target);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    [Theory]
    [InlineData(false, SKEncodedImageFormat.Png, 100)]
    [InlineData(false, SKEncodedImageFormat.Jpeg, 50)]
    [InlineData(true, SKEncodedImageFormat.Jpeg, 80)]
    public async Task CopyOfProtectedImage_Blocked451(bool mirror, SKEncodedImageFormat format, int quality)
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        upstream.Images = [Convert.ToBase64String(Picture(62)), Convert.ToBase64String(Edited(Picture(61), mirror, format, quality))];

        var response = await client.PostAsync("/v1/images/generations", ImageRequest(n: 2));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, (HttpStatusCode)451, "output_blocked");
        Assert.DoesNotContain("artwork-1", error.GetRawText());
    }

    [Fact]
    public async Task Replace_OnlyTheCopyReplacedByABlankOfTheSameSize()
    {
        var (upstream, gateway, client) = await StartAsync("--GenSafety:Memorization:ImageAction=replace");
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var other = Convert.ToBase64String(Picture(63));
        upstream.Images = [other, Convert.ToBase64String(Picture(61))];

        var response = await client.PostAsync("/v1/images/generations", ImageRequest(n: 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(other, data[0].GetProperty("b64_json").GetString());
        using var blank = SKBitmap.Decode(Convert.FromBase64String(data[1].GetProperty("b64_json").GetString()!));
        Assert.Equal((320, 256), (blank.Width, blank.Height));
        Assert.Equal(new SKColor(128, 128, 128), blank.GetPixel(100, 100));
        Assert.DoesNotContain(data[1].EnumerateObject(), p => p.Name == "revised_prompt");
    }

    [Fact]
    public async Task UnrelatedImages_PassUnchanged_BrokenImageWithheld()
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var images = new[] { Convert.ToBase64String(Picture(64)), Convert.ToBase64String(Picture(65)) };
        upstream.Images = images;

        var ok = await client.PostAsync("/v1/images/generations", ImageRequest(n: 2));
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        upstream.Images = [Convert.ToBase64String(Encoding.UTF8.GetBytes("not an image"))];
        var broken = await client.PostAsync("/v1/images/generations", ImageRequest());

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(images, json.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("b64_json").GetString()));
        await ErrorAssert.IsOpenAIErrorAsync(broken, HttpStatusCode.BadGateway, "upstream_invalid_response");
    }
}
