using System.Text;
using GenSafety.Detectors.Memorization;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class IncrementalNormalizerAsciiRunTests
{
    // ASCII of every kind plus the characters whose handling differs from ASCII: combining marks (which attach to
    // the ASCII letter before them), homoglyphs, compatibility forms, ß and final sigma, format characters,
    // non-ASCII whitespace and punctuation, surrogate pairs and lone surrogates.
    private static readonly string[] Pieces =
    [
        "a", "Z", "q", " ", "  ", "\t", "\n", "\r\n", "\0", "\u007F", ",", ".", "!", "-", "_", "'", "\"", "(", "7", "$", "+",
        "\u0301", "\u0308", "\u20DD", "\u0903", "\uFE0F", "\u200B", "\u00AD", "\u00A0", "\u2003", "\u2014", "\u201C",
        "\u00E9", "\u00DF", "\u03C2", "\u0410", "\u0430", "\u03BF", "\uFF21", "\uFB01", "\u2460", "\uAC00",
        "\U0001D400", "\U0001F600", "\uD800", "\uDC00", "\u0131", "\u00C5",
    ];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void AsciiRuns_RandomMixes_EqualTheUnitPathWhereverChunksSplit(bool removePunctuation, bool stripDiacritics)
    {
        var options = new TextNormalizerOptions { RemovePunctuation = removePunctuation, StripDiacritics = stripDiacritics };
        var random = new DeterministicRandom(61);
        for (var sample = 0; sample < 400; sample++)
        {
            var text = RandomText(random, 1 + (int)(random.NextUInt64() % 300), asciiShare: sample % 4 * 0.3);
            var (expected, expectedOffsets) = Run(new IncrementalNormalizer(options, asciiRuns: false), text, [text.Length]);
            var cuts = Enumerable.Range(0, 4).Select(_ => 1 + (int)(random.NextUInt64() % 40)).ToArray();
            var (actual, actualOffsets) = Run(new IncrementalNormalizer(options), text, cuts);

            Assert.Equal(expected, actual);
            Assert.Equal(expectedOffsets, actualOffsets);
            var oneShot = TextNormalizer.Normalize(text, options);
            Assert.Equal(expected, oneShot.Text);
            Assert.Equal(expectedOffsets, Enumerable.Range(0, oneShot.Text.Length).Select(i => (long)oneShot.SourceStart(i)));
        }
    }

    private static string RandomText(DeterministicRandom random, int pieces, double asciiShare)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            if (random.NextDouble() < asciiShare)
            {
                text.Append((char)(random.NextUInt64() % 128));
            }
            else
            {
                text.Append(Pieces[random.NextUInt64() % (ulong)Pieces.Length]);
            }
        }

        return text.ToString();
    }

    // Feeds text in pieces of the given lengths (cycled), draining output as it goes.
    private static (string Text, long[] Offsets) Run(IncrementalNormalizer normalizer, string text, int[] cuts)
    {
        var output = new StringBuilder();
        var offsets = new List<long>();
        for (int at = 0, cut = 0; at < text.Length; cut++)
        {
            var length = Math.Min(cuts[cut % cuts.Length], text.Length - at);
            normalizer.Append(text.AsSpan(at, length));
            at += length;
            output.Append(normalizer.Output);
            offsets.AddRange(normalizer.OutputOffsets.ToArray());
            normalizer.ClearOutput();
        }

        normalizer.Complete();
        output.Append(normalizer.Output);
        offsets.AddRange(normalizer.OutputOffsets.ToArray());
        return (output.ToString(), offsets.ToArray());
    }
}
