using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.Watermarking.Tests.Keys;

public sealed class WatermarkKeyRingTests
{
    [Fact]
    public void Current_SameInputs_SameKeyAndKid()
    {
        var a = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);
        var b = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);

        Assert.Equal(a.Kid, b.Kid);
        Assert.True(a.Material.SequenceEqual(b.Material));
        Assert.Equal(32, a.Material.Length);
    }

    [Fact]
    public void Current_DifferentTenantPurposeOrMaster_IndependentKeys()
    {
        var ring = TestKeys.Ring();
        var acme = ring.Current("acme", KeyPurpose.UnigramBias);
        var globex = ring.Current("globex", KeyPurpose.UnigramBias);
        var lexical = ring.Current("acme", KeyPurpose.Lexical);
        var otherMaster = TestKeys.Ring(fill: 99).Current("acme", KeyPurpose.UnigramBias);

        Assert.NotEqual(acme.Kid, globex.Kid);
        Assert.False(acme.Material.SequenceEqual(globex.Material));
        Assert.False(acme.Material.SequenceEqual(lexical.Material));
        Assert.Equal(acme.Kid, lexical.Kid); // one kid per tenant and epoch; the purpose is implied by where it is used
        Assert.False(acme.Material.SequenceEqual(otherMaster.Material));
        Assert.NotEqual(acme.Kid, otherMaster.Kid);
    }

    [Fact]
    public void Kid_NamesEpochButNotTenant()
    {
        var ring = TestKeys.Ring();
        var key = ring.Current("acme-corporation", KeyPurpose.UnigramBias);

        Assert.EndsWith("." + ring.CurrentEpoch, key.Kid, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", key.Kid, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToString_NeverShowsKeyMaterial()
    {
        var master = TestKeys.Master();
        var key = TestKeys.Ring().Current("acme", KeyPurpose.Lexical);
        var material = key.Material.ToArray();

        Assert.Equal("WatermarkMasterKey(redacted)", master.ToString());
        Assert.Equal($"WatermarkKey(Lexical, {key.Kid})", key.ToString());
        Assert.DoesNotContain(Convert.ToHexString(material)[..8], key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(material)[..8], key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromBase64_BadSecret_ErrorDoesNotQuoteIt()
    {
        const string NotBase64 = "this-is-my-secret-value!!";
        var notBase64 = Assert.Throws<ArgumentException>(() => WatermarkMasterKey.FromBase64(NotBase64));
        var tooShort = Assert.Throws<ArgumentException>(() => WatermarkMasterKey.FromBase64(Convert.ToBase64String(new byte[16])));

        Assert.DoesNotContain("secret-value", notBase64.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 bytes", tooShort.Message, StringComparison.Ordinal);
        Assert.Equal("WatermarkMasterKey(redacted)", WatermarkMasterKey.FromBase64(Convert.ToBase64String(new byte[48])).ToString());
    }

    [Fact]
    public void Rotation_NewEpochNewKey_OldKeyStaysResolvableUntilRetired()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ring = TestKeys.Ring(clock, retiredEpochs: 2);
        var old = ring.Current("acme", KeyPurpose.UnigramBias);

        clock.Now += TimeSpan.FromDays(30);
        var live = ring.Current("acme", KeyPurpose.UnigramBias);
        Assert.NotEqual(old.Kid, live.Kid);
        Assert.Equal([live.Kid, old.Kid, $"{old.Kid[..old.Kid.IndexOf('.')]}.{old.Epoch - 1}"],
            ring.DetectionKeys("acme", KeyPurpose.UnigramBias).Select(k => k.Kid));
        Assert.True(ring.TryResolve("acme", old.Kid, KeyPurpose.UnigramBias, out var resolved));
        Assert.True(resolved.Material.SequenceEqual(old.Material));

        clock.Now += TimeSpan.FromDays(60);
        Assert.False(ring.TryResolve("acme", old.Kid, KeyPurpose.UnigramBias, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nodot")]
    [InlineData("AAAAAAAA.12")]
    [InlineData("AAAAAAAA.-1")]
    public void TryResolve_ForeignOrMalformedKid_False(string kid)
    {
        Assert.False(TestKeys.Ring().TryResolve("acme", kid, KeyPurpose.UnigramBias, out _));
    }

    [Fact]
    public void TryResolve_AnotherTenantsKid_False()
    {
        var ring = TestKeys.Ring();
        var globex = ring.Current("globex", KeyPurpose.UnigramBias);

        Assert.False(ring.TryResolve("acme", globex.Kid, KeyPurpose.UnigramBias, out _));
        Assert.True(ring.TryResolve("globex", globex.Kid, KeyPurpose.UnigramBias, out _));
    }

    [Fact]
    public void FutureEpochKid_NotResolvable()
    {
        var ring = TestKeys.Ring();
        var key = ring.Current("acme", KeyPurpose.UnigramBias);
        var future = key.Kid[..(key.Kid.IndexOf('.') + 1)] + (key.Epoch + 1);

        Assert.False(ring.TryResolve("acme", future, KeyPurpose.UnigramBias, out _));
        Assert.False(ring.TryResolveReceiptKey("r." + (key.Epoch + 1), out _));
    }

    [Fact]
    public void Validator_ReportsEveryError()
    {
        var result = new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { RotationPeriod = TimeSpan.FromMinutes(5), RetiredEpochs = -1 });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Throws<ArgumentException>(() => new WatermarkKeyRing(TestKeys.Master(), new KeyRingOptions { RetiredEpochs = 100 }, TimeProvider.System));
    }
}
