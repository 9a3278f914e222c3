namespace GenSafety.Detectors.Extraction;

/// <summary>Names of the extraction detectors, as configuration and telemetry refer to them.</summary>
public static class ExtractionDetectorNames
{
    /// <summary><see cref="PradaDetector"/>.</summary>
    public const string Prada = "prada";

    /// <summary><see cref="NearDuplicateDetector"/> (SEAT-style).</summary>
    public const string NearDuplicate = "near-duplicate";

    /// <summary><see cref="WindowMmdDetector"/>.</summary>
    public const string WindowMmd = "window-mmd";

    /// <summary><see cref="HarvestingDetector"/>.</summary>
    public const string Harvesting = "harvesting";
}
