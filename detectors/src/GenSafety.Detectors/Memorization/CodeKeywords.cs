using System.Collections.Frozen;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Keywords of common programming languages (C, C++, C#, Java, JavaScript, Python, Go, Rust), lower case. Identifier
/// canonicalisation keeps these and replaces every other identifier, so that a renamed copy of protected code keeps
/// its structure (the keywords) and loses only the names.
/// </summary>
internal static class CodeKeywords
{
    /// <summary>The longest keyword; longer identifiers are never keywords.</summary>
    public const int MaxLength = 10;

    private static readonly FrozenSet<string> Words = FrozenSet.ToFrozenSet(
    [
        "abstract", "and", "as", "async", "await", "bool", "break", "byte", "case", "catch", "char", "class", "const",
        "continue", "def", "default", "defer", "del", "do", "double", "elif", "else", "enum", "except", "extends",
        "false", "final", "finally", "float", "fn", "for", "foreach", "from", "func", "function", "global", "go",
        "goto", "if", "impl", "implements", "import", "in", "include", "int", "interface", "is", "lambda", "let",
        "long", "loop", "match", "mod", "mut", "namespace", "new", "nil", "none", "not", "null", "object", "or",
        "override", "package", "pass", "private", "protected", "pub", "public", "raise", "range", "ref", "return",
        "self", "short", "sizeof", "static", "string", "struct", "super", "switch", "this", "throw", "throws",
        "trait", "true", "try", "type", "typeof", "uint", "unsigned", "use", "using", "var", "virtual", "void",
        "while", "with", "yield",
    ]);

    public static bool Contains(ReadOnlySpan<char> word) =>
        word.Length <= MaxLength && Words.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
}
