namespace GenSafety.Gateway.Memorization;

/// <summary>The values of <see cref="MemorizationOptions.NonStreamingAction"/> and <see cref="MemorizationOptions.ImageAction"/>.</summary>
public static class MemorizationActions
{
    /// <summary>Replace the whole response with an <c>output_blocked</c> error.</summary>
    public const string Block = "block";

    /// <summary>Empty the offending choice and mark it <c>content_filter</c>.</summary>
    public const string Redact = "redact";

    /// <summary>Replace the offending image with a blank one.</summary>
    public const string Replace = "replace";
}
