using System.Text;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Tests.Streaming;

public class SseWriterTests
{
    public static TheoryData<SseEvent, string> CanonicalCases => new()
    {
        { SseEvent.FromData("{\"a\":1}"), "data: {\"a\":1}\n\n" },
        { SseEvent.FromData(string.Empty), "data: \n\n" },
        { SseEvent.FromData("a\nb"), "data: a\ndata: b\n\n" },
        { SseEvent.FromData("a\r\nb\rc\n"), "data: a\ndata: b\ndata: c\ndata: \n\n" },
        { SseEvent.FromData(" x"), "data:  x\n\n" },
        { SseEvent.FromData("\u00e9\U0001F600"), "data: \u00e9\U0001F600\n\n" },
        { new SseEvent(SseEventKind.Event, "x", "delta", "42", 1500), "event: delta\nid: 42\nretry: 1500\ndata: x\n\n" },
        { new SseEvent(SseEventKind.Event, "x", Id: string.Empty), "id: \ndata: x\n\n" },
        { new SseEvent(SseEventKind.Comment, "keep-alive"), ": keep-alive\n\n" },
        { new SseEvent(SseEventKind.Comment, string.Empty), ": \n\n" },
        { new SseEvent(SseEventKind.Comment, "a\nb"), ": a\n: b\n\n" },
        { SseEvent.Done, "data: [DONE]\n\n" },
    };

    [Theory]
    [MemberData(nameof(CanonicalCases))]
    public async Task WriteAsync_Event_CanonicalForm(SseEvent sseEvent, string expected)
    {
        var stream = new RecordingWriteStream();
        using var writer = new SseWriter(stream);

        await writer.WriteAsync(sseEvent);

        Assert.Equal(expected, stream.Text);
    }

    [Theory]
    [MemberData(nameof(CanonicalCases))]
    public async Task WriteAsync_ThenRead_RoundTrips(SseEvent sseEvent, string expected)
    {
        var stream = new MemoryStream();
        using (var writer = new SseWriter(stream))
        {
            await writer.WriteAsync(sseEvent);
        }

        stream.Position = 0;
        List<SseEvent> events = await SseReaderTests.ReadAllAsync(stream);
        if (sseEvent.Kind == SseEventKind.Comment)
        {
            // A multi-line comment comes back as one comment per line.
            Assert.Equal(sseEvent.Data, string.Join('\n', events.ConvertAll(e => e.Data)));
            Assert.All(events, e => Assert.Equal(SseEventKind.Comment, e.Kind));
            return;
        }

        SseEvent read = Assert.Single(events);
        Assert.Equal(sseEvent.Kind, read.Kind);
        Assert.Equal(sseEvent.EventType, read.EventType);
        Assert.Equal(sseEvent.Id, read.Id);
        Assert.Equal(sseEvent.Retry, read.Retry);
        Assert.Equal(sseEvent.Data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'), read.Data);
        Assert.NotEmpty(expected);
    }

    [Fact]
    public async Task WriteAsync_EachEvent_FlushedWithWholeFrame()
    {
        var stream = new RecordingWriteStream();
        using var writer = new SseWriter(stream);

        await writer.WriteAsync(SseEvent.FromData("a\nb"));
        await writer.WriteAsync(new SseEvent(SseEventKind.Comment, "ping"));
        await writer.WriteDataAsync("{\"x\":1}"u8.ToArray());
        await writer.WriteDoneAsync();

        Assert.Equal(
            [
                "data: a\ndata: b\n\n",
                "data: a\ndata: b\n\n: ping\n\n",
                "data: a\ndata: b\n\n: ping\n\ndata: {\"x\":1}\n\n",
                "data: a\ndata: b\n\n: ping\n\ndata: {\"x\":1}\n\ndata: [DONE]\n\n",
            ],
            stream.Flushes);
    }

    [Fact]
    public async Task WriteAsync_DataLargerThanBuffer_WrittenWhole()
    {
        string data = string.Concat(Enumerable.Repeat("\u4e2d\u00e9x\n", 50_000));
        var stream = new RecordingWriteStream();
        using var writer = new SseWriter(stream);

        await writer.WriteAsync(SseEvent.FromData(data));

        string expected = string.Concat(Enumerable.Repeat("data: \u4e2d\u00e9x\n", 50_000)) + "data: \n\n";
        Assert.Equal(expected, stream.Text);
        Assert.Single(stream.Flushes);
    }

    [Theory]
    [InlineData("a\nb", null)]
    [InlineData("a\rb", null)]
    [InlineData(null, "1\n2")]
    [InlineData(null, "1\0")]
    public async Task WriteAsync_FieldThatWouldBreakFraming_Throws(string? eventType, string? id)
    {
        var stream = new RecordingWriteStream();
        using var writer = new SseWriter(stream);

        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(new SseEvent(SseEventKind.Event, "x", eventType, id)));
        Assert.Empty(stream.Text);
    }

    [Fact]
    public async Task WriteDataAsync_MultiLine_Throws()
    {
        using var writer = new SseWriter(new RecordingWriteStream());

        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteDataAsync(Encoding.UTF8.GetBytes("a\nb")));
    }
}
