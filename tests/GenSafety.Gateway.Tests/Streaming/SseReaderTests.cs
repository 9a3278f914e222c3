using System.Text;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Tests.Streaming;

public class SseReaderTests
{
    // Exercises every rule at once: BOM, comments, multi-line data, fields, CR/LF/CRLF, unknown fields, bad retry.
    private const string Mixed =
        "\uFEFF: keep-alive\r\n" +
        "data: first\n\n" +
        "event: delta\rid: 7\rretry: 1500\rdata:second\rdata:  indented\r\r" +
        "unknown: x\r\ndata\r\nretry: 12a\r\n\r\n" +
        ":\n" +
        "data: {\"a\":\"\u00e9\u4e2d\U0001F600\"}\n\n" +
        "data: [DONE]\n\n";

    private static readonly SseEvent[] MixedEvents =
    [
        new(SseEventKind.Comment, "keep-alive"),
        SseEvent.FromData("first"),
        new(SseEventKind.Event, "second\n indented", "delta", "7", 1500),
        SseEvent.FromData(string.Empty),
        new(SseEventKind.Comment, string.Empty),
        SseEvent.FromData("{\"a\":\"\u00e9\u4e2d\U0001F600\"}"),
        SseEvent.Done,
    ];

    [Fact]
    public async Task ReadAsync_WholeStream_ParsesEveryRule()
    {
        Assert.Equal(MixedEvents, await ReadAllAsync(new ChunkedReadStream(Mixed)));
    }

    [Fact]
    public async Task ReadAsync_OneBytePerRead_SameEvents()
    {
        Assert.Equal(MixedEvents, await ReadAllAsync(ChunkedReadStream.OneBytePerRead(Mixed)));
    }

    [Fact]
    public async Task ReadAsync_EveryTwoChunkSplit_SameEvents()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Mixed);
        for (int split = 1; split < bytes.Length; split++)
        {
            int first = split;
            var stream = new ChunkedReadStream(bytes, read => read == 1 ? first : int.MaxValue);
            Assert.Equal(MixedEvents, await ReadAllAsync(stream));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(1234)]
    public async Task ReadAsync_RandomChunks_SameEvents(int seed)
    {
        Assert.Equal(MixedEvents, await ReadAllAsync(ChunkedReadStream.RandomChunks(Mixed, seed), initialBufferSize: 8));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public async Task ReadAsync_LineEnding_JoinsDataAndDispatches(string eol)
    {
        string text = $"data: a{eol}data: b{eol}{eol}data: c{eol}{eol}";
        SseEvent[] expected = [SseEvent.FromData("a\nb"), SseEvent.FromData("c")];

        Assert.Equal(expected, await ReadAllAsync(new ChunkedReadStream(text)));
        Assert.Equal(expected, await ReadAllAsync(ChunkedReadStream.OneBytePerRead(text)));
    }

    [Fact]
    public async Task ReadAsync_CrlfSplitAcrossReads_IsOneLineEnding()
    {
        // The CR ends one read and the LF starts the next; the LF must not count as a blank line.
        string[] chunks = ["data: a\r", "\ndata: b\r", "\n\r", "\n"];
        var stream = new ChunkedReadStream(string.Concat(chunks), read => read <= chunks.Length ? chunks[read - 1].Length : 1);

        Assert.Equal([SseEvent.FromData("a\nb")], await ReadAllAsync(stream));
    }

    [Fact]
    public async Task ReadAsync_CrAtEndOfRead_DispatchesWithoutWaitingForNextRead()
    {
        var stream = new ChunkedReadStream("data: a\r\r") { HangAtEnd = true };
        using var reader = new SseReader(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        Assert.Equal(SseEvent.FromData("a"), await reader.ReadAsync(timeout.Token));
    }

    [Theory]
    [InlineData(": keep-alive\n\n", "keep-alive")]
    [InlineData(":keep-alive\n", "keep-alive")]
    [InlineData(":  two spaces\n", " two spaces")]
    [InlineData(":\n", "")]
    [InlineData(": \u00e9\n", "\u00e9")]
    public async Task ReadAsync_CommentLine_ReturnsComment(string text, string comment)
    {
        Assert.Equal([new SseEvent(SseEventKind.Comment, comment)], await ReadAllAsync(new ChunkedReadStream(text)));
    }

    [Fact]
    public async Task ReadAsync_CommentInsideEvent_ReturnedBeforeTheEvent()
    {
        SseEvent[] events = [.. await ReadAllAsync(new ChunkedReadStream("data: a\n: ping\ndata: b\n\n"))];

        Assert.Equal([new SseEvent(SseEventKind.Comment, "ping"), SseEvent.FromData("a\nb")], events);
    }

    [Theory]
    [InlineData("data:x\n\n", "x")]
    [InlineData("data: x\n\n", "x")]
    [InlineData("data:  x\n\n", " x")]
    [InlineData("data: x \n\n", "x ")]
    [InlineData("data\n\n", "")]
    [InlineData("data:\n\n", "")]
    [InlineData("data:\ndata:\n\n", "\n")]
    [InlineData("data: a:b: c\n\n", "a:b: c")]
    [InlineData("data: a\n\ndata: b\n", "a")]
    public async Task ReadAsync_DataField_ValueAsSpecified(string text, string data)
    {
        Assert.Equal([SseEvent.FromData(data)], await ReadAllAsync(new ChunkedReadStream(text)));
    }

    [Theory]
    [InlineData("event: e\nid: 1\nretry: 10\ndata: x\n\n", "e", "1", 10)]
    [InlineData("event:e\nid:1\nretry:10\ndata:x\n\n", "e", "1", 10)]
    [InlineData("event\nid\ndata: x\n\n", null, "", null)]
    [InlineData("id: a\0b\ndata: x\n\n", null, null, null)]
    [InlineData("retry: 12a\ndata: x\n\n", null, null, null)]
    [InlineData("retry: -5\ndata: x\n\n", null, null, null)]
    [InlineData("retry:  5\ndata: x\n\n", null, null, null)]
    [InlineData("retry:\ndata: x\n\n", null, null, null)]
    [InlineData("retry: 99999999999\ndata: x\n\n", null, null, null)]
    [InlineData("Data: y\nEVENT: e\nfoo: bar\nfoo\n: c\ndata: x\n\n", null, null, null)]
    public async Task ReadAsync_OtherFields_ParsedOrIgnored(string text, string? eventType, string? id, int? retry)
    {
        SseEvent[] events = [.. await ReadAllAsync(new ChunkedReadStream(text))];

        Assert.Equal(new SseEvent(SseEventKind.Event, "x", eventType, id, retry), events[^1]);
    }

    [Fact]
    public async Task ReadAsync_IdField_PerEventAndLastEventIdKept()
    {
        using var reader = new SseReader(new ChunkedReadStream("id: 1\ndata: a\n\ndata: b\n\nid: a\0b\ndata: c\n\n"));

        Assert.Equal("1", (await reader.ReadAsync())!.Id);
        Assert.Null((await reader.ReadAsync())!.Id);
        Assert.Null((await reader.ReadAsync())!.Id);
        Assert.Equal("1", reader.LastEventId);
    }

    [Theory]
    [InlineData("event: e\n\n")]
    [InlineData("id: 1\nretry: 5\n\n")]
    [InlineData("\n\n\n")]
    [InlineData("")]
    public async Task ReadAsync_NoDataLines_NotDispatched(string text)
    {
        Assert.Empty(await ReadAllAsync(new ChunkedReadStream(text)));
    }

    [Fact]
    public async Task ReadAsync_EventTypeFromUndispatchedBlock_DoesNotLeak()
    {
        Assert.Equal([SseEvent.FromData("x")], await ReadAllAsync(new ChunkedReadStream("event: e\n\ndata: x\n\n")));
    }

    [Theory]
    [InlineData("\uFEFFdata: x\n\n", "x")]
    [InlineData("\uFEFF\uFEFFdata: y\n\ndata: x\n\n", "x")]
    public async Task ReadAsync_LeadingBom_SkippedOnce(string text, string data)
    {
        Assert.Equal([SseEvent.FromData(data)], await ReadAllAsync(ChunkedReadStream.OneBytePerRead(text)));
    }

    [Theory]
    [InlineData("data: a\n\n", false)]
    [InlineData("data: a\n\n: c\n", false)]
    [InlineData("data: a\n\ndata: b\n", true)]
    [InlineData("data: a\n\ndata: b", true)]
    [InlineData("data: a\n\nevent: e\n", true)]
    [InlineData("data: a\n\n: unterminated comment", true)]
    public async Task ReadAsync_EndOfStream_ReportsEndedMidEvent(string text, bool endedMidEvent)
    {
        using var reader = new SseReader(new ChunkedReadStream(text));
        Assert.Equal(SseEvent.FromData("a"), await reader.ReadAsync());
        while (await reader.ReadAsync() is { Kind: SseEventKind.Comment })
        {
        }

        Assert.Equal(endedMidEvent, reader.EndedMidEvent);
        Assert.Null(await reader.ReadAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ReadAsync_EventAtSizeLimit_AcceptedAndOneMoreByteRejected(int extra)
    {
        // "data: " + payload + "\n" is the raw size of the event.
        const int Limit = 64 * 1024;
        string payload = new('x', Limit - 7 + extra);
        var stream = new ChunkedReadStream($"data: {payload}\n\ndata: next\n\n", _ => 1000);
        using var reader = new SseReader(stream, new SseReaderOptions { MaxEventBytes = Limit, InitialBufferSize = 16 });

        if (extra == 0)
        {
            Assert.Equal(payload, (await reader.ReadAsync())!.Data);
            Assert.Equal("next", (await reader.ReadAsync())!.Data);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
            Assert.Equal(SseProtocolError.EventTooLarge, ex.Error);
            Assert.Contains("65536", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadAsync_ManyDataLinesOverLimit_Rejected()
    {
        string text = string.Concat(Enumerable.Repeat("data: 0123456789\n", 100)) + "\n";
        using var reader = new SseReader(new ChunkedReadStream(text), new SseReaderOptions { MaxEventBytes = 1000 });

        var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
        Assert.Equal(SseProtocolError.EventTooLarge, ex.Error);
    }

    [Fact]
    public async Task ReadAsync_EndlessLineWithoutTerminator_RejectedWithoutReadingItAll()
    {
        var stream = new EndlessStream((byte)'x');
        using var reader = new SseReader(stream, new SseReaderOptions { MaxEventBytes = 100_000 });

        var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
        Assert.Equal(SseProtocolError.EventTooLarge, ex.Error);
        Assert.InRange(reader.BytesRead, 100_001, 300_000);
    }

    [Fact]
    public async Task ReadAsync_LongCommentLine_Rejected()
    {
        string text = ": " + new string('c', 200) + "\n";
        using var reader = new SseReader(new ChunkedReadStream(text), new SseReaderOptions { MaxEventBytes = 100 });

        var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
        Assert.Equal(SseProtocolError.EventTooLarge, ex.Error);
    }

    [Fact]
    public async Task ReadAsync_ManyKeepAlivesWithoutBlankLines_NotCountedAsOneEvent()
    {
        string text = string.Concat(Enumerable.Repeat(":ping\n", 100)) + "data: x\n\n";
        using var reader = new SseReader(new ChunkedReadStream(text), new SseReaderOptions { MaxEventBytes = 64 });

        List<SseEvent> events = await ReadAllAsync(reader);
        Assert.Equal(101, events.Count);
        Assert.Equal(SseEvent.FromData("x"), events[^1]);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task ReadAsync_InvalidUtf8InData_Throws(byte[] bad)
    {
        byte[] bytes = [.. "data: ok "u8, .. bad, .. "\n\n"u8];
        using var reader = new SseReader(new ChunkedReadStream(bytes));

        var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
        Assert.Equal(SseProtocolError.InvalidUtf8, ex.Error);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InComment_Throws()
    {
        using var reader = new SseReader(new ChunkedReadStream([.. ": "u8, 0xFF, .. "\n"u8]));

        var ex = await Assert.ThrowsAsync<SseProtocolException>(async () => await reader.ReadAsync());
        Assert.Equal(SseProtocolError.InvalidUtf8, ex.Error);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InIgnoredField_Ignored()
    {
        byte[] bytes = [.. "foo: "u8, 0xFF, .. "\ndata: x\n\n"u8];

        Assert.Equal([SseEvent.FromData("x")], await ReadAllAsync(new ChunkedReadStream(bytes)));
    }

    [Fact]
    public async Task CurrentData_AfterEvent_IsUtf8OfData()
    {
        using var reader = new SseReader(ChunkedReadStream.OneBytePerRead("data: {\"a\":\n data: \"\u00e9\"}\n\n: c\n"));

        SseEvent? sseEvent = await reader.ReadAsync();
        Assert.Equal(Encoding.UTF8.GetBytes(sseEvent!.Data), reader.CurrentData.ToArray());
        await reader.ReadAsync();
        Assert.True(reader.CurrentData.IsEmpty);
    }

    [Fact]
    public async Task ReadAsync_AfterDispose_Throws()
    {
        var reader = new SseReader(new ChunkedReadStream("data: x\n\n"));
        reader.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        using var reader = new SseReader(new ChunkedReadStream("data: x") { HangAtEnd = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(cts.Token));
    }

    internal static Task<List<SseEvent>> ReadAllAsync(Stream stream, int initialBufferSize = 4096)
    {
        var reader = new SseReader(stream, new SseReaderOptions { InitialBufferSize = initialBufferSize });
        return ReadAllAndDisposeAsync(reader);
    }

    private static async Task<List<SseEvent>> ReadAllAndDisposeAsync(SseReader reader)
    {
        using (reader)
        {
            return await ReadAllAsync(reader);
        }
    }

    private static async Task<List<SseEvent>> ReadAllAsync(SseReader reader)
    {
        var events = new List<SseEvent>();
        while (await reader.ReadAsync() is { } sseEvent)
        {
            events.Add(sseEvent);
        }

        return events;
    }

    /// <summary>Returns the same byte forever.</summary>
    private sealed class EndlessStream(byte value) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(value);
            return count;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
