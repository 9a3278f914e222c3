using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using GenSafety.Gateway.Demo;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.Demo;

public sealed partial class DemoModeTests
{
    [Fact]
    public async Task Demo_PrintsKeyAndCurl_AndTheCurlRequestStreamsChunks()
    {
        var publicPort = FreePort.Next();
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        string[] args = ["--demo", $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{publicPort}", $"--Kestrel:Endpoints:Admin:Url=http://127.0.0.1:{FreePort.Next()}", "--Logging:LogLevel:Default=Warning"];
        var demo = DemoMode.RunAsync(args, output, stop.Token);

        var banner = await WaitForBannerAsync(output, demo);
        var key = ClientKey().Match(banner).Groups[1].Value;
        var curl = CurlBody().Match(banner).Groups[1].Value;
        Assert.StartsWith("gsk_", key);

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{publicPort}/v1/chat/completions")
        {
            Content = new StringContent(curl, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var chunks = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? first = null;
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal))
                {
                    chunks++;
                    first ??= watch.Elapsed;
                }
            }
        }

        Assert.True(chunks > 10, $"only {chunks} chunks");
        // The demo paces tokens (25 ms each): chunks must arrive spread over time, not in one burst at the end.
        Assert.True(watch.Elapsed - first!.Value > TimeSpan.FromMilliseconds(250), $"all chunks within {(watch.Elapsed - first.Value).TotalMilliseconds} ms");
        await stop.CancelAsync();
        await demo;
    }

    private static async Task<string> WaitForBannerAsync(StringWriter output, Task demo)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            if (demo.IsCompleted)
            {
                await demo; // surfaces the start-up failure
            }

            Assert.True(DateTime.UtcNow < deadline, "demo did not start");
            await Task.Delay(100);
        }

        return output.ToString();
    }

    [GeneratedRegex(@"client key:\s+(\S+)")]
    private static partial Regex ClientKey();

    [GeneratedRegex(@"-d '([^']+)'")]
    private static partial Regex CurlBody();
}
