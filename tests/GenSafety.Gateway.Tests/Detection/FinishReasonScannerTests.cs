using System.Text;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class FinishReasonScannerTests
{
    [Theory]
    [InlineData("""{"choices":[{"finish_reason":"stop"},{"finish_reason" : "length"}]}""", "stop,length")]
    [InlineData("""{"choices":[{"delta":{},"finish_reason":null}]}""", "")]
    [InlineData("""{"choices":[{"finish_reason":"tool_calls"}],"x":{"finish_reason":"custom_reason"}}""", "tool_calls,custom_reason")]
    [InlineData("""{"text":"\"finish_reason\" appears in text","finish_reason":"content_filter"}""", "content_filter")]
    [InlineData("""{"finish_reason":""", "")]
    public void Scan_FindsNonNullReasons(string json, string expected)
    {
        var observation = new QueryObservation("t", "c", RouteKinds.ChatCompletions, ReadOnlyMemory<byte>.Empty, DateTimeOffset.UnixEpoch);

        FinishReasonScanner.Scan(Encoding.UTF8.GetBytes(json), observation);

        Assert.Equal(expected, string.Join(',', observation.FinishReasons));
    }
}
