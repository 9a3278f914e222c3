using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Tests.Campaigns;

public sealed class AttackBudgetTests
{
    [Theory]
    [InlineData(0.05, 100, Variants.None, 300, 1)]
    [InlineData(0.5, 10, Variants.None, 300, 1)]
    [InlineData(0.25, 10, Variants.Interleave, 300, 2)]
    public void WithAttackBudget_FixesTheAttack_AndDerivesTheBenignVolumeFromTheMix(double mix, int sybils, string variant, int budget, int perAttackQuery)
    {
        var spec = new CampaignSpec { Scenario = AttackFamilies.Divergence, Mix = mix, Sybils = sybils, Variant = variant, RunId = "t" }
            .WithAttackBudget(budget, requestsPerBenignClient: 20);

        Assert.Equal(budget, spec.AttackBudget);
        Assert.Equal(budget * perAttackQuery, spec.AttackerRequests);
        Assert.Equal(mix, spec.AttackerRequests / (double)spec.Queries, 3);
        Assert.Equal((int)Math.Round((spec.Queries - spec.AttackerRequests) / 20.0), spec.BenignClients);

        var campaign = Campaign.Build(spec);
        var attackSends = campaign.Actors.Where(a => a.Label.Role == Roles.Attack).Sum(a => a.Schedule.Count);
        Assert.Equal(spec.AttackerRequests, attackSends);
        Assert.Equal(Math.Min(sybils, spec.AttackerRequests), campaign.Actors.Count(a => a.Label.Role == Roles.Attack));
    }

    [Fact]
    public void WithAttackBudget_OnABenignCampaign_KeepsItsVolume_AndSetsTheClients()
    {
        var spec = new CampaignSpec { Scenario = CampaignSpec.BenignOnly, Queries = 2000, RunId = "t" }.WithAttackBudget(300, 5);

        Assert.Equal(2000, spec.Queries);
        Assert.Equal(400, spec.BenignClients);
        Assert.Equal(0, spec.AttackerRequests);
    }
}
