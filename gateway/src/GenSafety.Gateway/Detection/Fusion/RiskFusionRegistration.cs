namespace GenSafety.Gateway.Detection.Fusion;

/// <summary>
/// A registered <see cref="IRiskFusion"/>'s name, known to option validation without building the fusion (a fusion
/// may itself depend on validated options).
/// </summary>
/// <param name="Name">The fusion's name.</param>
public sealed record RiskFusionRegistration(string Name);
