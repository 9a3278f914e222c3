using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>Key rings over fixed test secrets and a settable clock.</summary>
internal static class TestKeys
{
    public static WatermarkMasterKey Master(byte fill = 7) => WatermarkMasterKey.FromBytes(Enumerable.Repeat(fill, 32).Select((b, i) => (byte)(b + i)).ToArray());

    public static WatermarkKeyRing Ring(ManualClock? clock = null, int retiredEpochs = 3, byte fill = 7) =>
        new(Master(fill), new KeyRingOptions { RotationPeriod = TimeSpan.FromDays(30), RetiredEpochs = retiredEpochs },
            clock ?? new ManualClock(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
