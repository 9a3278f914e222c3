namespace GenSafety.Gateway.Detection;

/// <summary>A registered <see cref="IQueryDetector"/>: its name and whether it runs when configuration says nothing.</summary>
/// <param name="Name">The detector's name.</param>
/// <param name="EnabledByDefault">Whether it runs without <c>GenSafety:Detection:Detectors:{name}:Enabled</c>.</param>
public sealed record DetectorRegistration(string Name, bool EnabledByDefault);
