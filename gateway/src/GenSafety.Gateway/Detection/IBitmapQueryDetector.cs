namespace GenSafety.Gateway.Detection;

/// <summary>
/// A detector whose state is a bitmap that only gains bits (<see cref="DetectorStateMode.BitwiseOr"/>), such as B4B
/// coverage. The bitmap can be tens of KiB per client, so the pipeline never reads it back: <see cref="IQueryDetector.Detect"/>
/// gets no state and returns, as <see cref="DetectorResult.State"/>, the bits this batch sets (null for none); the
/// store ORs them in and counts, on the server, the set bits of each <see cref="RegionBytes"/>-long region of the
/// merged bitmap (<see cref="DetectorDescriptor.MaxStateBytes"/> long in all); <see cref="Score"/> turns those
/// counts into the result.
/// </summary>
public interface IBitmapQueryDetector : IQueryDetector
{
    /// <summary>Bytes per counted region; divides <see cref="DetectorDescriptor.MaxStateBytes"/>.</summary>
    int RegionBytes { get; }

    /// <summary>
    /// The result for the batch in <paramref name="input"/>, from <paramref name="setBits"/> (set bits per region of the
    /// merged bitmap, this batch's bits included) and what <see cref="IQueryDetector.Detect"/> returned.
    /// </summary>
    DetectorResult Score(DetectorInput input, DetectorResult observed, IReadOnlyList<long> setBits);
}
