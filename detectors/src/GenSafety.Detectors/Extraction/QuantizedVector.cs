namespace GenSafety.Detectors.Extraction;

/// <summary>A quantised vector: <c>Scale · Code</c>, with Σ codeᵢ² kept for distances.</summary>
internal readonly ref struct QuantizedVector
{
    public QuantizedVector(ReadOnlySpan<sbyte> code, float scale, int squaredCodeNorm)
    {
        Code = code;
        Scale = scale;
        SquaredCodeNorm = squaredCodeNorm;
    }

    public ReadOnlySpan<sbyte> Code { get; }

    public float Scale { get; }

    public int SquaredCodeNorm { get; }
}
