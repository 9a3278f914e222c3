using GenSafety.Detectors.Images;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Tests.Streaming;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Memorization;

public sealed class ImagePromptMemoryTests
{
    private static readonly PdqHash Picture = new(0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x0F0F0F0F0F0F0F0F, 0xF0F0F0F0F0F0F0F0);
    private static readonly PdqHash NearPicture = Picture with { W0 = Picture.W0 ^ 0xFF }; // 8 bits apart
    private static readonly PdqHash Other = new(~Picture.W0, ~Picture.W1, Picture.W2, Picture.W3); // 128 bits apart

    private readonly ManualTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private ImagePromptMemory Memory(int capacity = 100) =>
        new(Options.Create(new MemorizationOptions { ImagePromptWindow = TimeSpan.FromMinutes(10), ImagePromptCapacity = capacity }), _time);

    [Fact]
    public void SamePictureAgain_WithoutSeedOrWithAnother_Repeats_SameSeed_DoesNot()
    {
        using var memory = Memory();

        Assert.False(memory.RecordAndCompare("t", "a cat", null, [Picture]));
        Assert.True(memory.RecordAndCompare("t", "A  cat", null, [NearPicture]));
        Assert.False(memory.RecordAndCompare("t", "a dog", 5, [Picture]));
        Assert.False(memory.RecordAndCompare("t", "a dog", 5, [Picture]));
        Assert.True(memory.RecordAndCompare("t", "a dog", 6, [Picture]));
        Assert.False(memory.RecordAndCompare("t", "a bird", null, [Picture]));
        Assert.False(memory.RecordAndCompare("t", "a bird", null, [Other]));
    }

    [Fact]
    public void TenantsAndTheWindow_KeepPromptsApart()
    {
        using var memory = Memory();

        Assert.False(memory.RecordAndCompare("t1", "a cat", null, [Picture]));
        Assert.False(memory.RecordAndCompare("t2", "a cat", null, [Picture]));
        _time.Now += TimeSpan.FromMinutes(11);
        Assert.False(memory.RecordAndCompare("t1", "a cat", null, [Picture]));
        _time.Now += TimeSpan.FromMinutes(1);
        Assert.True(memory.RecordAndCompare("t1", "a cat", null, [NearPicture]));
    }

    [Fact]
    public void ManyPrompts_StayWithinTheCapacity()
    {
        using var memory = Memory(capacity: 50);

        for (var i = 0; i < 5_000; i++)
        {
            memory.RecordAndCompare("t", $"prompt {i}", null, [Picture]);
        }

        Assert.True(memory.Count <= 50, $"{memory.Count} prompts kept");
    }
}
