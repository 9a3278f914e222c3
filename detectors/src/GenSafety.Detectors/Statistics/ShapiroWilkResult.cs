namespace GenSafety.Detectors.Statistics;

/// <summary>The outcome of a Shapiro–Wilk test.</summary>
/// <param name="W">The statistic, in (0, 1]; values near 1 mean the sample looks normal.</param>
/// <param name="PValue">The probability of a W this small or smaller under normality (Royston's approximation).</param>
/// <param name="SampleSize">Number of values tested.</param>
public readonly record struct ShapiroWilkResult(double W, double PValue, int SampleSize);
