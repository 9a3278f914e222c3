namespace GenSafety.ReferenceModel.Text;

/// <summary>Stable least-significant-digit radix sort of (key, value) pairs, 16 bits per pass.</summary>
internal static class RadixSort
{
    private const int DigitBits = 16;
    private const int DigitMask = (1 << DigitBits) - 1;

    /// <summary>
    /// Sorts the first <paramref name="count"/> pairs by key, then by value (values must be non-negative).
    /// Six passes: two over the value (the tie-breaker), then four over the key; each pass is stable, and an
    /// even number of passes leaves the result in the caller's arrays.
    /// </summary>
    public static void SortByKeyThenValue(ulong[] keys, int[] values, int count)
    {
        var keyBuffer = new ulong[count];
        var valueBuffer = new int[count];
        var counts = new int[1 << DigitBits];
        (ulong[] Keys, int[] Values) source = (keys, values);
        (ulong[] Keys, int[] Values) target = (keyBuffer, valueBuffer);
        for (var pass = 0; pass < 6; pass++)
        {
            var valuePass = pass < 2;
            var shift = valuePass ? pass * DigitBits : (pass - 2) * DigitBits;
            Array.Clear(counts);
            for (var i = 0; i < count; i++)
            {
                counts[Digit(source, i, valuePass, shift)]++;
            }

            var sum = 0;
            for (var d = 0; d < counts.Length; d++)
            {
                (counts[d], sum) = (sum, sum + counts[d]);
            }

            for (var i = 0; i < count; i++)
            {
                var at = counts[Digit(source, i, valuePass, shift)]++;
                target.Keys[at] = source.Keys[i];
                target.Values[at] = source.Values[i];
            }

            (source, target) = (target, source);
        }
    }

    private static int Digit((ulong[] Keys, int[] Values) source, int i, bool valuePass, int shift) =>
        valuePass ? (source.Values[i] >> shift) & DigitMask : (int)(source.Keys[i] >> shift) & DigitMask;
}
