using GenSafety.Gateway.Detection.Campaigns;

namespace GenSafety.Gateway.Tests.Detection.Campaigns;

public sealed class CampaignScoreTests
{
    private static readonly CampaignOptions Options = new();

    [Theory]
    [InlineData(1, 100, 0)] // one client is api-surface's business
    [InlineData(2, 8, 0)] // the free settings
    [InlineData(2, 9, 0.5687)] // just past: the onset, L2
    [InlineData(5, 20, 0.775)]
    [InlineData(100, 32, 1)]
    [InlineData(100, 500, 1)]
    public void Sweep_RampsFromTheOnsetPastTheFreeSettings_OnlyAcrossClients(int members, int settings, double expected)
        => Assert.Equal(expected, CampaignScore.Of(CampaignKinds.Sweep, new CampaignTotals(members, settings, 40), Options).Score, 3);

    [Fact]
    public void Harvest_CountsRequests_Divergence_StopsAtItsMaximum()
    {
        Assert.Equal(0, CampaignScore.Of(CampaignKinds.Harvest, new CampaignTotals(3, 0, 4), Options).Score);
        Assert.Equal(1, CampaignScore.Of(CampaignKinds.Harvest, new CampaignTotals(3, 0, 16), Options).Score);
        Assert.Equal(0, CampaignScore.Of(CampaignKinds.Harvest, new CampaignTotals(1, 0, 100), Options).Score);
        Assert.Equal(0, CampaignScore.Of(CampaignKinds.Divergence, new CampaignTotals(1, 1, 1), Options).Score);
        Assert.Equal(0.59, CampaignScore.Of(CampaignKinds.Divergence, new CampaignTotals(1, 1, 2), Options).Score, 3);
        Assert.Equal(0.75, CampaignScore.Of(CampaignKinds.Divergence, new CampaignTotals(9, 5, 60), Options).Score, 3);
    }

    [Fact]
    public void Coverage_PoolsBucketsBeyondWhatOneClientMayCover_OnlyAcrossClients()
    {
        Assert.Equal(0, CampaignScore.Of(CampaignKinds.Coverage, new CampaignTotals(10, 410, 60), Options).Score);
        Assert.Equal(0.55, CampaignScore.Of(CampaignKinds.Coverage, new CampaignTotals(10, 411, 60), Options).Score, 3);
        Assert.Equal(1, CampaignScore.Of(CampaignKinds.Coverage, new CampaignTotals(10, 2048, 300), Options).Score);
        Assert.Equal(0, CampaignScore.Of(CampaignKinds.Coverage, new CampaignTotals(1, 4000, 300), Options).Score);
    }

    [Fact]
    public void Reason_NamesTheEvidence_NeverAClient()
    {
        var (_, reason) = CampaignScore.Of(CampaignKinds.Sweep, new CampaignTotals(12, 77, 36), Options);

        Assert.Equal("logit_bias probes of one prompt shared by 12 clients: 77 distinct token/bias settings in 36 requests", reason);
        Assert.Null(CampaignScore.Of("unknown", new CampaignTotals(12, 77, 36), Options).Reason);
    }
}
