using GenSafety.Gateway.Enforcement.Levels;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

public class RiskLadderTests
{
    private static readonly long HourMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    // Defaults: thresholds 0.3 / 0.5 / 0.7 / 0.9, hysteresis 0.05, half-life 1 h, delay 100 ms … 2 s.
    private readonly RiskLadder _ladder = LevelsTestServices.Ladder();

    [Theory]
    [InlineData(0, 0.8)]
    [InlineData(1, 0.4)]
    [InlineData(2, 0.2)]
    public void Decay_ByHalfLives_HalvesEachTime(int halfLives, double expected)
    {
        const long At = 1_700_000_000_000;
        Assert.Equal(expected, _ladder.Decay(0.8, At, At + (halfLives * HourMs)));
    }

    [Fact]
    public void Decay_HalfAHalfLife_IsOneOverSqrtTwo() =>
        Assert.Equal(0.8 / Math.Sqrt(2), _ladder.Decay(0.8, 0, HourMs / 2), 12);

    [Fact]
    public void Decay_ZeroHalfLife_NeverDecays()
    {
        RiskLadder ladder = LevelsTestServices.Ladder(o => o.HalfLife = TimeSpan.Zero);
        Assert.Equal(0, ladder.HalfLifeMs);
        Assert.Equal(0.8, ladder.Decay(0.8, 0, 365 * 24 * HourMs));
    }

    [Fact]
    public void Decay_ClockBehindWriteTime_KeepsScore() => Assert.Equal(0.8, _ladder.Decay(0.8, HourMs, 0));

    [Theory]
    // Climbing: straight to the highest threshold reached, from any lower level.
    [InlineData(0.0, EnforcementLevel.Allow, EnforcementLevel.Allow)]
    [InlineData(0.29, EnforcementLevel.Allow, EnforcementLevel.Allow)]
    [InlineData(0.3, EnforcementLevel.Allow, EnforcementLevel.Delay)]
    [InlineData(0.5, EnforcementLevel.Allow, EnforcementLevel.Degrade)]
    [InlineData(0.7, EnforcementLevel.Allow, EnforcementLevel.ProofOfWork)]
    [InlineData(0.9, EnforcementLevel.Allow, EnforcementLevel.Block)]
    [InlineData(1.0, EnforcementLevel.Allow, EnforcementLevel.Block)]
    [InlineData(0.95, EnforcementLevel.Delay, EnforcementLevel.Block)]
    [InlineData(0.75, EnforcementLevel.Degrade, EnforcementLevel.ProofOfWork)]
    // Hysteresis keeps the current level while risk stays above threshold − 0.05 …
    [InlineData(0.48, EnforcementLevel.Degrade, EnforcementLevel.Degrade)]
    [InlineData(0.26, EnforcementLevel.Delay, EnforcementLevel.Delay)]
    [InlineData(0.86, EnforcementLevel.Block, EnforcementLevel.Block)]
    [InlineData(0.66, EnforcementLevel.ProofOfWork, EnforcementLevel.ProofOfWork)]
    // … but never lifts a client above its current level.
    [InlineData(0.48, EnforcementLevel.Delay, EnforcementLevel.Delay)]
    [InlineData(0.28, EnforcementLevel.Allow, EnforcementLevel.Allow)]
    // Below the band it drops, possibly several levels, to the highest band still reached.
    [InlineData(0.44, EnforcementLevel.Degrade, EnforcementLevel.Delay)]
    [InlineData(0.24, EnforcementLevel.Delay, EnforcementLevel.Allow)]
    [InlineData(0.84, EnforcementLevel.Block, EnforcementLevel.ProofOfWork)]
    [InlineData(0.48, EnforcementLevel.Block, EnforcementLevel.Degrade)]
    [InlineData(0.40, EnforcementLevel.Block, EnforcementLevel.Delay)]
    [InlineData(0.10, EnforcementLevel.Block, EnforcementLevel.Allow)]
    [InlineData(0.0, EnforcementLevel.ProofOfWork, EnforcementLevel.Allow)]
    public void LevelFor_WithHysteresis(double risk, EnforcementLevel current, EnforcementLevel expected) =>
        Assert.Equal(expected, _ladder.LevelFor(risk, current));

    [Fact]
    public void LevelFor_ZeroHysteresis_DropsAsSoonAsBelowThreshold()
    {
        RiskLadder ladder = LevelsTestServices.Ladder(o => o.Hysteresis = 0);
        Assert.Equal(EnforcementLevel.Delay, ladder.LevelFor(0.49, EnforcementLevel.Degrade));
        Assert.Equal(EnforcementLevel.Degrade, ladder.LevelFor(0.5, EnforcementLevel.Degrade));
    }

    [Fact]
    public void LevelFor_CustomThresholds_AreUsed()
    {
        RiskLadder ladder = LevelsTestServices.Ladder(o => (o.DelayThreshold, o.DegradeThreshold, o.ProofOfWorkThreshold, o.BlockThreshold) = (0.1, 0.2, 0.4, 0.6));
        Assert.Equal(EnforcementLevel.Delay, ladder.LevelFor(0.15, EnforcementLevel.Allow));
        Assert.Equal(EnforcementLevel.ProofOfWork, ladder.LevelFor(0.5, EnforcementLevel.Allow));
        Assert.Equal(EnforcementLevel.Block, ladder.LevelFor(0.6, EnforcementLevel.Allow));
    }

    [Theory]
    // MinDelay (100 ms) at the L1 threshold, MaxDelay (2 s) at risk 1, linear between: 100 + 1900 × (risk − 0.3) / 0.7.
    [InlineData(0.3, 100)]
    [InlineData(0.44, 480)]
    [InlineData(0.65, 1050)]
    [InlineData(0.86, 1620)]
    [InlineData(1.0, 2000)]
    // Outside the range it is clamped: never below MinDelay, never above MaxDelay.
    [InlineData(0.1, 100)]
    [InlineData(1.5, 2000)]
    public void DelayFor_LinearFromMinToMax(double risk, double expectedMs) =>
        Assert.Equal(expectedMs, _ladder.DelayFor(risk).TotalMilliseconds, 6);

    [Fact]
    public void DelayFor_NeverAboveMaxDelay_AndGrowsWithRisk()
    {
        RiskLadder ladder = LevelsTestServices.Ladder(o => (o.MinDelay, o.MaxDelay) = (TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750)));
        TimeSpan previous = TimeSpan.Zero;
        for (int i = 0; i <= 120; i++)
        {
            TimeSpan delay = ladder.DelayFor(i / 100.0);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750));
            Assert.True(delay >= previous, $"delay fell at risk {i / 100.0}");
            previous = delay;
        }

        Assert.Equal(TimeSpan.FromMilliseconds(750), previous);
    }

    [Fact]
    public void DelayFor_EqualMinAndMax_IsConstant()
    {
        RiskLadder ladder = LevelsTestServices.Ladder(o => (o.MinDelay, o.MaxDelay) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(1), ladder.DelayFor(0.3));
        Assert.Equal(TimeSpan.FromSeconds(1), ladder.DelayFor(0.9));
    }
}
