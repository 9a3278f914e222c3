namespace GenSafety.Gateway.Detection;

/// <summary>
/// A detector with something to say in <c>/readyz</c> (<c>detection.detector_status.{name}</c>): per tenant whether it
/// runs and why not (<c>*</c> for every tenant not named).
/// </summary>
public interface IDetectorStatus
{
    /// <summary>Per tenant, a short status line.</summary>
    IReadOnlyDictionary<string, string> Status { get; }
}
