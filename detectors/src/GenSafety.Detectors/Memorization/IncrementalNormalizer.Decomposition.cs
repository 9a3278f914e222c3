using System.Text;

namespace GenSafety.Detectors.Memorization;

// Compatibility decomposition of one unit (a character with the combining marks that follow it).
public sealed partial class IncrementalNormalizer
{
    private static bool IsVariationSelector(char c) => c is >= '\uFE00' and <= '\uFE0F';

    // Compatibility decomposition of one unit into _decomposed; lone surrogates carry no text and are dropped.
    private int Decompose(ReadOnlySpan<char> unit)
    {
        var length = 0;
        for (var i = 0; i < unit.Length; i++)
        {
            int codePoint;
            if (char.IsHighSurrogate(unit[i]) && i + 1 < unit.Length && char.IsLowSurrogate(unit[i + 1]))
            {
                codePoint = char.ConvertToUtf32(unit[i], unit[++i]);
            }
            else if (char.IsSurrogate(unit[i]))
            {
                continue;
            }
            else
            {
                codePoint = unit[i];
            }

            var decomposition = CompatibilityDecomposition.Of(codePoint);
            var needed = length + (decomposition?.Length ?? 2);
            if (needed > _decomposed.Length)
            {
                Array.Resize(ref _decomposed, Math.Max(needed, _decomposed.Length * 2));
            }

            if (decomposition is not null)
            {
                decomposition.CopyTo(_decomposed.AsSpan(length));
                length += decomposition.Length;
            }
            else
            {
                length += new Rune(codePoint).EncodeToUtf16(_decomposed.AsSpan(length));
            }
        }

        return length;
    }
}
