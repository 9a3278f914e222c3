using System.Collections.Frozen;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// A shipped subset of the Unicode confusables data (UTS #39, Unicode Security Mechanisms, <c>confusables.txt</c>):
/// the Cyrillic, Greek, Armenian and Latin-extension letters whose confusable prototype is a single basic Latin
/// letter, both cases, mapped straight to the lower-case Latin letter (upper-case forms are mapped before case
/// folding because, e.g., Cyrillic <c>В</c> looks like <c>B</c> while its lower case <c>в</c> does not look like
/// <c>b</c>). Fullwidth forms and mathematical alphanumerics need no entry: compatibility decomposition maps them.
/// </summary>
public static class Confusables
{
    /// <summary>Changes whenever the table changes (part of <see cref="TextNormalizerOptions.Fingerprint"/>).</summary>
    public const int TableVersion = 1;

    private static readonly FrozenDictionary<char, char> Map = new Dictionary<char, char>
    {
        // Cyrillic capitals
        ['\u0405'] = 's', ['\u0406'] = 'i', ['\u0408'] = 'j', ['\u0410'] = 'a', ['\u0412'] = 'b', ['\u0415'] = 'e',
        ['\u041A'] = 'k', ['\u041C'] = 'm', ['\u041D'] = 'h', ['\u041E'] = 'o', ['\u0420'] = 'p', ['\u0421'] = 'c',
        ['\u0422'] = 't', ['\u0423'] = 'y', ['\u0425'] = 'x', ['\u04AE'] = 'y', ['\u04BA'] = 'h', ['\u04C0'] = 'l',
        ['\u051A'] = 'q', ['\u051C'] = 'w',
        // Cyrillic small letters
        ['\u0430'] = 'a', ['\u0435'] = 'e', ['\u043E'] = 'o', ['\u0440'] = 'p', ['\u0441'] = 'c', ['\u0443'] = 'y',
        ['\u0445'] = 'x', ['\u0455'] = 's', ['\u0456'] = 'i', ['\u0458'] = 'j', ['\u04BB'] = 'h', ['\u04CF'] = 'l',
        ['\u04AF'] = 'y', ['\u0501'] = 'd', ['\u051B'] = 'q', ['\u051D'] = 'w',
        // Greek capitals
        ['\u0391'] = 'a', ['\u0392'] = 'b', ['\u0395'] = 'e', ['\u0396'] = 'z', ['\u0397'] = 'h', ['\u0399'] = 'i',
        ['\u039A'] = 'k', ['\u039C'] = 'm', ['\u039D'] = 'n', ['\u039F'] = 'o', ['\u03A1'] = 'p', ['\u03A4'] = 't',
        ['\u03A5'] = 'y', ['\u03A7'] = 'x', ['\u03F9'] = 'c', ['\u037F'] = 'j',
        // Greek small letters
        ['\u03B1'] = 'a', ['\u03B3'] = 'y', ['\u03B9'] = 'i', ['\u03BA'] = 'k', ['\u03BD'] = 'v', ['\u03BF'] = 'o',
        ['\u03C1'] = 'p', ['\u03C5'] = 'u', ['\u03F2'] = 'c', ['\u03F3'] = 'j',
        // Armenian small letters
        ['\u0570'] = 'h', ['\u0578'] = 'n', ['\u057D'] = 'u', ['\u0581'] = 'g', ['\u0585'] = 'o',
        // Latin extensions
        ['\u0131'] = 'i', ['\u0237'] = 'j', ['\u0251'] = 'a', ['\u0261'] = 'g',
    }.ToFrozenDictionary();

    /// <summary>Number of characters the table folds.</summary>
    public static int Count => Map.Count;

    /// <summary>The lower-case Latin letter <paramref name="c"/> is confusable with, or <c>'\0'</c> when it is none in this table.</summary>
    public static char Fold(char c) => c >= '\u0131' && Map.TryGetValue(c, out var latin) ? latin : '\0';
}
