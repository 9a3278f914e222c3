namespace GenSafety.Detectors.Extraction;

/// <summary>Why two clients look like one operator, each component in [0, 1].</summary>
/// <param name="Template">Share of both windows' long requests whose template appears in the other window.</param>
/// <param name="Coverage">Jaccard similarity of the B4B coverage bitmaps; NaN when no coverage was given.</param>
/// <param name="Timing">Pearson correlation of per-minute request counts over the latest hour, clamped at 0; 0 when either client was active in fewer than the minimum minutes.</param>
/// <param name="Score">The weighted link score.</param>
public readonly record struct LinkEvidence(double Template, double Coverage, double Timing, double Score);
