using System.Net;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.Health;

[Collection(GatewayTestGroup.Name)]
public sealed class MetricsEndpointTests
{
    private readonly GatewayFixture _fixture;

    public MetricsEndpointTests(GatewayFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Metrics_AfterProxiedRequests_ExposesRequestUpstreamAndOverheadHistograms()
    {
        using (var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey))
        {
            (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();
        }

        var response = await new HttpClient().GetAsync(_fixture.Gateway.AdminUrl + "/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"gensafety_gateway_request_duration\w*_count\{[^}]*route=""models""[^}]*status_code=""200""\} [1-9]", text);
        Assert.Matches(@"gensafety_gateway_request_duration\w*_bucket\{", text);
        Assert.Matches(@"gensafety_gateway_upstream_duration\w*_bucket\{", text);
        Assert.Matches(@"gensafety_gateway_overhead\w*_bucket\{[^}]*le=""0.0005""", text);
    }

    [Fact]
    public async Task Healthz_OnAdminListener_Returns200()
    {
        var response = await new HttpClient().GetAsync(_fixture.Gateway.AdminUrl + "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_InMemoryWithHealthyUpstream_ReturnsReady()
    {
        var response = await new HttpClient().GetAsync(_fixture.Gateway.AdminUrl + "/readyz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ready\"", text);
        Assert.Contains("\"memory\"", text);
    }
}
