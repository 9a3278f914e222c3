using System.Text;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Finds the <c>finish_reason</c> string values in a UTF-8 JSON response or chunk without parsing it: a vectorized
/// search for the property name, then the string after the colon (<c>null</c> values are skipped). Finish reasons are
/// short ASCII words; the usual ones come back as shared strings, so the request path allocates nothing for them.
/// </summary>
internal static class FinishReasonScanner
{
    private const int MaxLength = 64;

    /// <summary>Adds every non-null finish reason in <paramref name="json"/> to <paramref name="observation"/>.</summary>
    public static void Scan(ReadOnlySpan<byte> json, QueryObservation observation)
    {
        var property = "\"finish_reason\""u8;
        while (true)
        {
            var at = json.IndexOf(property);
            if (at < 0)
            {
                return;
            }

            json = json[(at + property.Length)..];
            var i = Skip(json, 0);
            if (i >= json.Length || json[i] != (byte)':')
            {
                continue;
            }

            i = Skip(json, i + 1);
            if (i >= json.Length || json[i] != (byte)'"')
            {
                continue;
            }

            var value = json[(i + 1)..];
            var end = value.IndexOf((byte)'"');
            if (end is > 0 and <= MaxLength)
            {
                observation.AddFinishReason(Name(value[..end]));
            }
        }
    }

    private static int Skip(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static string Name(ReadOnlySpan<byte> value) => value switch
    {
        _ when value.SequenceEqual("stop"u8) => "stop",
        _ when value.SequenceEqual("length"u8) => "length",
        _ when value.SequenceEqual("content_filter"u8) => "content_filter",
        _ when value.SequenceEqual("tool_calls"u8) => "tool_calls",
        _ => Encoding.UTF8.GetString(value),
    };
}
