namespace GenSafety.Detectors.Training.Dataset;

/// <summary>One client step: its feature window and its label.</summary>
/// <param name="Campaign">Campaign id.</param>
/// <param name="Client">Client id.</param>
/// <param name="Family">Persona (benign) or attack family (<c>A1</c> … <c>A5</c>).</param>
/// <param name="Attack">Whether the client is an attacker key.</param>
/// <param name="Requests">The client's requests so far, this step's included.</param>
/// <param name="AnalyticRisk">The analytic fusion's risk at this step.</param>
/// <param name="Window">Feature window (window × features, oldest first).</param>
internal sealed record DatasetRow(string Campaign, string Client, string Family, bool Attack, int Requests, double AnalyticRisk, float[] Window);
