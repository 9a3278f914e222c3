using GenSafety.Gateway.Detection.ApiSurface;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class IdSketchTests
{
    [Theory]
    [InlineData(64, 50)]
    [InlineData(64, 400)]
    [InlineData(128, 1000)]
    public void Estimate_BlocksOfConsecutiveIds_WithinTenPercent(int bytes, int count)
    {
        // Extraction sweeps bias runs of consecutive ids: the hash must scatter them.
        var sketch = new byte[bytes];
        for (var i = 0; i < count; i++)
        {
            IdSketch.Add(sketch, (200 * (i / 20)) + (i % 20));
        }

        Assert.InRange(IdSketch.Estimate(sketch), count * 0.9, count * 1.1);
    }

    [Fact]
    public void Estimate_RepeatedIds_CountOnce()
    {
        var sketch = new byte[64];
        for (var round = 0; round < 50; round++)
        {
            IdSketch.Add(sketch, 13022);
            IdSketch.Add(sketch, 3160);
        }

        Assert.InRange(IdSketch.Estimate(sketch), 1.9, 2.1);
    }

    [Fact]
    public void Estimate_Union_CountsBothSketches()
    {
        var a = new byte[128];
        var b = new byte[128];
        for (var i = 0; i < 300; i++)
        {
            IdSketch.Add(i < 150 ? a : b, i);
        }

        Assert.InRange(IdSketch.Estimate(a, b), 270, 330);
    }

    [Fact]
    public void Estimate_Full_IsCapped()
    {
        var sketch = Enumerable.Repeat((byte)0xFF, 64).ToArray();

        Assert.Equal(512 * Math.Log(512), IdSketch.Estimate(sketch), 9);
    }
}
