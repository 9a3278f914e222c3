using System.Buffers.Binary;
using System.Collections.Frozen;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Full compatibility decomposition (NFKD) of single code points. The runtime runs with InvariantGlobalization,
/// where <see cref="string.Normalize()"/> changes nothing, so the data ships as the embedded resource
/// <c>nfkd.bin</c> (generated from the Unicode Character Database by <c>detectors/tools/generate-nfkd-table.py</c>);
/// Hangul syllables are decomposed arithmetically (Unicode §3.12).
/// </summary>
internal static class CompatibilityDecomposition
{
    private const string ResourceName = "GenSafety.Detectors.Memorization.nfkd.bin";

    private static readonly Lazy<(FrozenDictionary<int, string> Map, string Version)> Data = new(Load);

    /// <summary>Unicode version of the data (e.g. "14.0.0").</summary>
    public static string UnicodeVersion => Data.Value.Version;

    /// <summary>Number of code points with a table entry.</summary>
    public static int Count => Data.Value.Map.Count;

    /// <summary>The decomposition of <paramref name="codePoint"/>, or null when it decomposes to itself.</summary>
    public static string? Of(int codePoint)
    {
        if (codePoint is >= 0xAC00 and <= 0xD7A3)
        {
            var s = codePoint - 0xAC00;
            var l = (char)(0x1100 + s / 588);
            var v = (char)(0x1161 + s % 588 / 28);
            var t = s % 28;
            return t == 0 ? new string([l, v]) : new string([l, v, (char)(0x11A7 + t)]);
        }

        return codePoint < 0xA0 ? null : Data.Value.Map.GetValueOrDefault(codePoint);
    }

    private static (FrozenDictionary<int, string>, string) Load()
    {
        using var stream = typeof(CompatibilityDecomposition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var span = bytes.AsSpan();
        if (!span[..4].SequenceEqual("NFKD"u8))
        {
            throw new InvalidDataException($"{ResourceName} is not a decomposition table.");
        }

        var version = $"{span[4]}.{span[5]}.{span[6]}";
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var map = new Dictionary<int, string>(count);
        var at = 12;
        for (var i = 0; i < count; i++)
        {
            var codePoint = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
            int length = span[at + 4];
            at += 5;
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = (char)BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2 * j)..]);
            }

            at += 2 * length;
            map[codePoint] = new string(chars);
        }

        return (map.ToFrozenDictionary(), version);
    }
}
