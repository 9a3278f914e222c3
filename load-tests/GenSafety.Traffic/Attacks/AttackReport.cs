using System.Text.Json.Serialization;
using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Attacks;

/// <summary>
/// What an attack got, written as a JSONL line of type <c>attack</c>. Each family adds its own measure (recovered
/// hidden size, harvested pairs, surrogate fidelity, extracted text).
/// </summary>
public abstract record AttackReport
{
    /// <summary>Always <c>attack</c>.</summary>
    [JsonPropertyOrder(-10)]
    public string Type { get; init; } = "attack";

    /// <summary>Campaign id (set by the runner).</summary>
    [JsonPropertyOrder(-9)]
    public string? Campaign { get; init; }

    /// <summary>Attack family.</summary>
    [JsonPropertyOrder(-8)]
    public string Family { get; init; } = string.Empty;

    /// <summary>Attack requests sent (cover traffic excluded).</summary>
    [JsonPropertyOrder(-7)]
    public int Queries { get; init; }

    /// <summary>Attack requests answered with 2xx.</summary>
    [JsonPropertyOrder(-6)]
    public int Answered { get; init; }

    /// <summary>Answered attack requests the gateway marked as degraded.</summary>
    [JsonPropertyOrder(-5)]
    public int Degraded { get; init; }
}

/// <summary>Counts an attack's queries and answers; each attack holds one.</summary>
public sealed class QueryCounter
{
    private readonly Lock _lock = new();

    /// <summary>Requests observed.</summary>
    public int Queries { get; private set; }

    /// <summary>2xx answers.</summary>
    public int Answered { get; private set; }

    /// <summary>2xx answers with an <c>x-gensafety-degraded</c> header.</summary>
    public int Degraded { get; private set; }

    /// <summary><paramref name="report"/> with the family and these counts filled in.</summary>
    public T Stamp<T>(string family, T report)
        where T : AttackReport
    {
        lock (_lock)
        {
            return report with { Family = family, Queries = Queries, Answered = Answered, Degraded = Degraded };
        }
    }

    /// <summary>Counts <paramref name="response"/>; returns whether it succeeded.</summary>
    public bool Count(TrafficResponse response)
    {
        lock (_lock)
        {
            Queries++;
            if (response.Ok)
            {
                Answered++;
                if (response.Degraded is not null)
                {
                    Degraded++;
                }
            }
        }

        return response.Ok;
    }
}
