namespace GenSafety.Traffic.Labels;

/// <summary>
/// Who sent a request and why, as a benchmark needs it to score detection: the campaign, the client, whether the
/// client is benign or an attacker, and its persona or attack family.
/// </summary>
/// <param name="Campaign">Campaign id (one scenario × sybil split × mix × variant × seed).</param>
/// <param name="Client">Client id.</param>
/// <param name="Role"><see cref="Roles.Benign"/> or <see cref="Roles.Attack"/>.</param>
/// <param name="Family">Persona (<c>chat</c>, <c>rag</c>, <c>classifier</c>, <c>embeddings</c>) or attack family (<c>A1</c> … <c>A5</c>).</param>
/// <param name="Variant">Adaptive variant of the campaign (<c>none</c>, <c>interleave</c>, <c>wording</c>, <c>both</c>).</param>
/// <param name="Sybil">Index of an attacker's key within its campaign (0 … sybils−1); −1 for benign clients.</param>
public sealed record TrafficLabel(string Campaign, string Client, string Role, string Family, string Variant, int Sybil);

/// <summary>Values of <see cref="TrafficLabel.Role"/>.</summary>
public static class Roles
{
    /// <summary>A benign persona.</summary>
    public const string Benign = "benign";

    /// <summary>An attacker's key.</summary>
    public const string Attack = "attack";
}
