using System.Text.Json.Serialization;

namespace GenSafety.Traffic.Labels;

/// <summary>
/// The part every per-request and per-client JSONL line shares: its type and the sender's label, first in the line.
/// </summary>
public abstract record LabelledRecord
{
    /// <summary>A line of <paramref name="type"/> for <paramref name="label"/>, sent as <paramref name="client"/> (the key's client id).</summary>
    protected LabelledRecord(string type, TrafficLabel label, string client)
    {
        Type = type;
        Campaign = label.Campaign;
        Client = client;
        Role = label.Role;
        Family = label.Family;
        Variant = label.Variant;
        Sybil = label.Sybil;
    }

    /// <summary>Line type (<c>request</c>, <c>client</c>).</summary>
    [JsonPropertyOrder(-10)]
    public string Type { get; }

    /// <summary>Campaign id.</summary>
    [JsonPropertyOrder(-9)]
    public string Campaign { get; }

    /// <summary>Client id.</summary>
    [JsonPropertyOrder(-8)]
    public string Client { get; }

    /// <summary><c>benign</c> or <c>attack</c>.</summary>
    [JsonPropertyOrder(-7)]
    public string Role { get; }

    /// <summary>Persona or attack family.</summary>
    [JsonPropertyOrder(-6)]
    public string Family { get; }

    /// <summary>Adaptive variant of the campaign.</summary>
    [JsonPropertyOrder(-5)]
    public string Variant { get; }

    /// <summary>Sybil index (−1 for benign clients).</summary>
    [JsonPropertyOrder(-4)]
    public int Sybil { get; }
}
