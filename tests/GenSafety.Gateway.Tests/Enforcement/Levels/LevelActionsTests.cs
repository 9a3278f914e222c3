using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

public class LevelActionsTests
{
    private const EnforcementActions Delay = EnforcementActions.Delay;
    private const EnforcementActions Degrade = EnforcementActions.Degrade;
    private const EnforcementActions Pow = EnforcementActions.ProofOfWork;
    private const EnforcementActions Block = EnforcementActions.Block;

    [Theory]
    [InlineData("delay", Delay)]
    [InlineData("degrade", Degrade)]
    [InlineData("pow", Pow)]
    [InlineData("proof-of-work", Pow)]
    [InlineData("block", Block)]
    [InlineData("DELAY", Delay)]
    [InlineData("Degrade,POW", Degrade | Pow)]
    [InlineData(" delay , block ", Delay | Block)]
    [InlineData("delay,delay", Delay)]
    [InlineData("delay,degrade,pow,block", Delay | Degrade | Pow | Block)]
    [InlineData("none", EnforcementActions.None)]
    [InlineData("None", EnforcementActions.None)]
    [InlineData("none,pow", Pow)]
    [InlineData("", EnforcementActions.None)]
    [InlineData(" , ", EnforcementActions.None)]
    [InlineData(null, EnforcementActions.None)]
    public void Parse_KnownNames(string? value, EnforcementActions expected) => Assert.Equal(expected, LevelActions.Parse(value));

    [Theory]
    [InlineData("captcha")]
    [InlineData("delay,captcha")]
    [InlineData("captcha,delay")]
    [InlineData("delay;block")]
    [InlineData("pow-")]
    [InlineData("1")]
    public void Parse_UnknownName_Null(string value) => Assert.Null(LevelActions.Parse(value));

    [Theory]
    [InlineData("L0", 0)]
    [InlineData("L1", 1)]
    [InlineData("L2", 2)]
    [InlineData("L3", 3)]
    [InlineData("L4", 4)]
    [InlineData("l3", 3)]
    [InlineData("L5", null)]
    [InlineData("L10", null)]
    [InlineData("L", null)]
    [InlineData("2", null)]
    [InlineData("X2", null)]
    [InlineData("", null)]
    public void LevelOf_NamesL0ToL4(string key, int? expected) => Assert.Equal(expected, LevelActions.LevelOf(key));

    [Fact]
    public void Defaults_NoneDelayDelayDegradeDegradePowBlock() =>
        Assert.Equal([EnforcementActions.None, Delay, Delay | Degrade, Degrade | Pow, Block], LevelActions.Defaults);

    [Fact]
    public void For_NothingConfigured_Defaults()
    {
        LevelActions actions = Build([]);
        Assert.Equal(LevelActions.Defaults, actions.For("default", RouteKinds.ChatCompletions));
        Assert.Equal(Degrade | Pow, actions.For(EnforcementLevel.ProofOfWork, "default", RouteKinds.Embeddings));
    }

    [Fact]
    public void For_GlobalOverride_ReplacesOnlyThatLevelEverywhere()
    {
        LevelActions actions = Build(new() { ["GenSafety:Enforcement:Actions:L2"] = "block" });
        foreach (string route in new[] { RouteKinds.ChatCompletions, RouteKinds.Embeddings })
        {
            Assert.Equal([EnforcementActions.None, Delay, Block, Degrade | Pow, Block], actions.For("default", route));
        }
    }

    [Fact]
    public void For_RouteOverride_OnlyOnThatRoute_OverGlobal()
    {
        LevelActions actions = Build(new()
        {
            ["GenSafety:Enforcement:Actions:L2"] = "block",
            ["GenSafety:Enforcement:Actions:L1"] = "none",
            [$"GenSafety:Enforcement:Routes:{RouteKinds.Embeddings}:Actions:L2"] = "degrade",
        });

        Assert.Equal(Degrade, actions.For(EnforcementLevel.Degrade, "default", RouteKinds.Embeddings));
        Assert.Equal(EnforcementActions.None, actions.For(EnforcementLevel.Delay, "default", RouteKinds.Embeddings));
        Assert.Equal(Block, actions.For(EnforcementLevel.Degrade, "default", RouteKinds.ChatCompletions));
    }

    [Fact]
    public void For_PolicyOverride_WinsOverRoute_OnEveryRoute()
    {
        LevelActions actions = Build(new()
        {
            [$"GenSafety:Enforcement:Routes:{RouteKinds.ChatCompletions}:Actions:L3"] = "pow",
            [$"GenSafety:Enforcement:Routes:{RouteKinds.ChatCompletions}:Actions:L2"] = "degrade",
            ["GenSafety:Policies:gold:Actions:L3"] = "delay,degrade",
        });

        Assert.Equal(Delay | Degrade, actions.For(EnforcementLevel.ProofOfWork, "gold", RouteKinds.ChatCompletions));
        Assert.Equal(Delay | Degrade, actions.For(EnforcementLevel.ProofOfWork, "gold", RouteKinds.Embeddings));
        // Levels the policy leaves alone keep the route's (or the default) actions.
        Assert.Equal(Degrade, actions.For(EnforcementLevel.Degrade, "gold", RouteKinds.ChatCompletions));
        Assert.Equal(Block, actions.For(EnforcementLevel.Block, "gold", RouteKinds.ChatCompletions));
        // Other policies still get the route's table.
        Assert.Equal(Pow, actions.For(EnforcementLevel.ProofOfWork, "default", RouteKinds.ChatCompletions));
    }

    [Fact]
    public void For_RouteAndPolicyNames_CaseInsensitiveLikeConfiguration()
    {
        LevelActions actions = Build(new()
        {
            ["GenSafety:Enforcement:Routes:Embeddings:Actions:l1"] = "block",
            ["GenSafety:Policies:Gold:Actions:L4"] = "none",
        });

        Assert.Equal(Block, actions.For(EnforcementLevel.Delay, "default", "embeddings"));
        Assert.Equal(EnforcementActions.None, actions.For(EnforcementLevel.Block, "gold", RouteKinds.ChatCompletions));
    }

    [Fact]
    public void For_RepeatedCall_SameTable_AndOverridesDoNotLeakIntoOtherCombinations()
    {
        LevelActions actions = Build(new() { ["GenSafety:Policies:gold:Actions:L0"] = "delay" });
        IReadOnlyList<EnforcementActions> gold = actions.For("gold", RouteKinds.Completions);
        Assert.Same(gold, actions.For("gold", RouteKinds.Completions));
        Assert.Equal(Delay, gold[0]);
        Assert.Equal(EnforcementActions.None, actions.For("default", RouteKinds.Completions)[0]);
        Assert.Equal(EnforcementActions.None, LevelActions.Defaults[0]);
    }

    [Theory]
    [InlineData(Delay, 0b00110)]
    [InlineData(Degrade, 0b01100)]
    [InlineData(Pow, 0b01000)]
    [InlineData(Block, 0b10000)]
    [InlineData(Delay | Block, 0b10110)]
    [InlineData(EnforcementActions.None, 0)]
    public void Mask_Defaults_BitPerLevel(EnforcementActions action, int expected) =>
        Assert.Equal(expected, LevelActions.Mask(LevelActions.Defaults, action));

    [Fact]
    public void Mask_Overridden_FollowsTheTable()
    {
        LevelActions actions = Build(new() { ["GenSafety:Policies:strict:Actions:L1"] = "pow,block" });
        IReadOnlyList<EnforcementActions> table = actions.For("strict", RouteKinds.ChatCompletions);
        Assert.Equal(0b01010, LevelActions.Mask(table, Pow));
        Assert.Equal(0b10010, LevelActions.Mask(table, Block));
        Assert.Equal(0b00100, LevelActions.Mask(table, Delay));
    }

    private static LevelActions Build(Dictionary<string, string?> settings)
    {
        using ServiceProvider services = LevelsTestServices.Build(settings);
        return services.GetRequiredService<LevelActions>();
    }
}
