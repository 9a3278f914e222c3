using System.Text.Json;

namespace GenSafety.Gateway.Requests;

/// <summary>JSON value kinds a field may take.</summary>
[Flags]
public enum JsonKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>A string.</summary>
    String = 1,

    /// <summary>Any number.</summary>
    Number = 2,

    /// <summary>A number without fractional part that fits in 64 bits.</summary>
    Integer = 4,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean = 8,

    /// <summary>An array.</summary>
    Array = 16,

    /// <summary>An object.</summary>
    Object = 32,

    /// <summary><c>null</c>.</summary>
    Null = 64,
}

/// <summary>Helpers for <see cref="JsonKinds"/>.</summary>
public static class JsonKindsExtensions
{
    /// <summary>Whether <paramref name="element"/> is one of <paramref name="kinds"/>.</summary>
    public static bool Matches(this JsonKinds kinds, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => (kinds & JsonKinds.String) != 0,
        JsonValueKind.Number => (kinds & JsonKinds.Number) != 0 || ((kinds & JsonKinds.Integer) != 0 && element.TryGetInt64(out _)),
        JsonValueKind.True or JsonValueKind.False => (kinds & JsonKinds.Boolean) != 0,
        JsonValueKind.Array => (kinds & JsonKinds.Array) != 0,
        JsonValueKind.Object => (kinds & JsonKinds.Object) != 0,
        JsonValueKind.Null => (kinds & JsonKinds.Null) != 0,
        _ => false,
    };

    /// <summary>Words for an error message: "a string or an array".</summary>
    public static string Describe(this JsonKinds kinds)
    {
        var names = new List<string>(4);
        if ((kinds & JsonKinds.String) != 0) { names.Add("a string"); }
        if ((kinds & JsonKinds.Integer) != 0 && (kinds & JsonKinds.Number) == 0) { names.Add("an integer"); }
        if ((kinds & JsonKinds.Number) != 0) { names.Add("a number"); }
        if ((kinds & JsonKinds.Boolean) != 0) { names.Add("a boolean"); }
        if ((kinds & JsonKinds.Array) != 0) { names.Add("an array"); }
        if ((kinds & JsonKinds.Object) != 0) { names.Add("an object"); }
        if ((kinds & JsonKinds.Null) != 0) { names.Add("null"); }
        return string.Join(" or ", names);
    }
}
