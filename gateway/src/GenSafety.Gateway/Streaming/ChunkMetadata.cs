using System.Text.Json;

namespace GenSafety.Gateway.Streaming;

/// <summary>
/// The fields of the upstream's OpenAI chunks that a gateway-written final chunk must repeat: <c>id</c>,
/// <c>created</c>, <c>model</c> and the choice indexes seen. Updated from each event's UTF-8 data with a single
/// <see cref="Utf8JsonReader"/> pass that also checks the data is one well-formed JSON object; strings are
/// allocated only when they change.
/// </summary>
internal sealed class ChunkMetadata
{
    // OpenAI caps n at 128; more distinct indexes than that are not tracked.
    private const int MaxChoices = 128;

    private readonly List<int> _choiceIndexes = new(1);

    /// <summary>The last <c>id</c> seen.</summary>
    public string? Id { get; private set; }

    /// <summary>The last <c>created</c> seen (Unix seconds).</summary>
    public long? Created { get; private set; }

    /// <summary>The last <c>model</c> seen.</summary>
    public string? Model { get; private set; }

    /// <summary>The distinct <c>choices[].index</c> values seen, in order of first appearance.</summary>
    public IReadOnlyList<int> ChoiceIndexes => _choiceIndexes;

    /// <summary>Reads one chunk; <see langword="false"/> when it is not exactly one well-formed JSON object.</summary>
    public bool TryObserve(ReadOnlySpan<byte> json)
    {
        try
        {
            return Observe(json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool Observe(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool inChoices = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.CurrentDepth == 1)
                {
                    inChoices = ObserveTopLevel(ref reader);
                }
                else if (inChoices && reader.CurrentDepth == 3 && reader.ValueTextEquals("index"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index))
                {
                    AddChoiceIndex(index);
                }
            }
            else if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 1)
            {
                inChoices = false;
            }
        }

        // Reaching the end without an exception means the object closed and nothing follows it.
        return true;
    }

    // Reads a top-level property's value token; returns whether it opened the choices array.
    private bool ObserveTopLevel(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            reader.Read();
            Id = UpdateString(ref reader, Id);
        }
        else if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            Model = UpdateString(ref reader, Model);
        }
        else if (reader.ValueTextEquals("created"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long created))
            {
                Created = created;
            }
        }
        else if (reader.ValueTextEquals("choices"u8))
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.StartArray;
        }

        return false;
    }

    private static string? UpdateString(ref Utf8JsonReader reader, string? current)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return current;
        }

        return current is not null && reader.ValueTextEquals(current) ? current : reader.GetString();
    }

    private void AddChoiceIndex(int index)
    {
        for (int i = 0; i < _choiceIndexes.Count; i++)
        {
            if (_choiceIndexes[i] == index)
            {
                return;
            }
        }

        if (_choiceIndexes.Count < MaxChoices)
        {
            _choiceIndexes.Add(index);
        }
    }
}
