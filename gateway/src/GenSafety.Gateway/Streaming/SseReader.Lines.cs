using System.Globalization;
using System.Text;

namespace GenSafety.Gateway.Streaming;

/// <summary>Line handling of <see cref="SseReader"/>: fields, comments and dispatch.</summary>
public sealed partial class SseReader
{
    private SseEvent? ProcessLine(int lineStart, int lineLength, int rawLength)
    {
        if (lineLength == 0)
        {
            return Dispatch();
        }

        ReadOnlySpan<byte> line = _buffer.AsSpan(lineStart, lineLength);
        if (line[0] == (byte)':')
        {
            if (rawLength > _maxEventBytes)
            {
                throw TooLarge();
            }

            return new SseEvent(SseEventKind.Comment, Decode(StripLeadingSpace(line[1..])));
        }

        _eventBytes += rawLength;
        if (_eventBytes > _maxEventBytes)
        {
            throw TooLarge();
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> name = colon < 0 ? line : line[..colon];
        ReadOnlySpan<byte> value = colon < 0 ? default : StripLeadingSpace(line[(colon + 1)..]);
        if (name.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                _data.Write((byte)'\n');
            }

            _data.Write(value);
            _hasData = true;
        }
        else if (name.SequenceEqual("event"u8))
        {
            _eventType = Decode(value);
        }
        else if (name.SequenceEqual("id"u8))
        {
            if (!value.Contains((byte)0))
            {
                _id = Decode(value);
                LastEventId = _id;
            }
        }
        else if (name.SequenceEqual("retry"u8))
        {
            // NumberStyles.None: ASCII digits only (no sign, no spaces); values past int.MaxValue are ignored.
            if (!value.IsEmpty && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int retry))
            {
                _retry = retry;
            }
        }

        return null;
    }

    private SseEvent? Dispatch()
    {
        SseEvent? sseEvent = null;
        if (_hasData)
        {
            // Decoded once per event; the bytes stay readable through CurrentData until the next read.
            sseEvent = new SseEvent(
                SseEventKind.Event,
                Decode(_data.WrittenSpan),
                string.IsNullOrEmpty(_eventType) ? null : _eventType,
                _id,
                _retry);
            CurrentData = _data.WrittenMemory;
        }

        _data.Clear();
        _hasData = false;
        _eventType = null;
        _id = null;
        _retry = null;
        _eventBytes = 0;
        return sseEvent;
    }

    private static ReadOnlySpan<byte> StripLeadingSpace(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && value[0] == (byte)' ' ? value[1..] : value;

    private static string Decode(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SseProtocolException(SseProtocolError.InvalidUtf8, "The event stream contains invalid UTF-8.", ex);
        }
    }

    private SseProtocolException TooLarge() =>
        new(SseProtocolError.EventTooLarge, $"An event in the stream is larger than the limit of {_maxEventBytes} bytes.");
}
