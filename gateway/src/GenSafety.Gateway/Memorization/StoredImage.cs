using System.Globalization;
using GenSafety.Detectors.Images;

namespace GenSafety.Gateway.Memorization;

/// <summary>A protected image as stored: <c>{quality}:{hash0},…,{hash7}</c> (the eight dihedral PDQ hashes in reference hex).</summary>
internal static class StoredImage
{
    public static string Format(ProtectedImage image)
        => image.Hashes[0].Quality.ToString(CultureInfo.InvariantCulture) + ":" + string.Join(',', image.Hashes.Select(h => h.Hash.ToString()));

    public static bool TryParse(string? value, out PdqResult[] hashes)
    {
        hashes = [];
        var colon = value?.IndexOf(':') ?? -1;
        if (colon < 1 || !int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var quality))
        {
            return false;
        }

        var parts = value![(colon + 1)..].Split(',');
        if (parts.Length != 8)
        {
            return false;
        }

        try
        {
            hashes = [.. parts.Select(p => new PdqResult(PdqHash.Parse(p), quality))];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
