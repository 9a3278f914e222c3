namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// Settings of the proof-of-work challenge (enforcement level L3), bound from <c>GenSafety:Enforcement:ProofOfWork</c>
/// (environment: <c>GenSafety__Enforcement__ProofOfWork__Secret</c> and so on). See <c>docs/proof-of-work.md</c>.
/// </summary>
public sealed class ProofOfWorkOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "GenSafety:Enforcement:ProofOfWork";

    /// <summary>Shortest accepted HMAC secret, in characters.</summary>
    public const int MinSecretLength = 32;

    /// <summary>
    /// HMAC-SHA256 key that signs challenge tokens (at least <see cref="MinSecretLength"/> characters). Every replica
    /// must share it, since a token issued by one is redeemed at another. Never put it in appsettings.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>File holding <see cref="Secret"/> (a mounted Kubernetes secret); used when <see cref="Secret"/> is empty.</summary>
    public string? SecretFile { get; set; }

    /// <summary>How long an issued challenge may be redeemed. Default 2 minutes.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Fewest leading zero bits ever asked for. Default 8.</summary>
    public int MinBits { get; set; } = 8;

    /// <summary>Most leading zero bits ever asked for. Default 28.</summary>
    public int MaxBits { get; set; } = 28;

    /// <summary>Target solve time at risk 0 (the paper's lower clamp, 0.1 s).</summary>
    public TimeSpan MinTargetTime { get; set; } = TimeSpan.FromSeconds(0.1);

    /// <summary>Target solve time at risk 1 (the paper's upper clamp, 2,948 s).</summary>
    public TimeSpan MaxTargetTime { get; set; } = TimeSpan.FromSeconds(2948);

    /// <summary>
    /// Measured (bits, seconds) pairs the time→bits regression is fitted on. Empty selects
    /// <see cref="DifficultyCalibration.PaperPoints"/> (Dziedzic et al., SHA-1 on their machine); recalibrate with
    /// <c>GenSafety.LoadTests pow-solve --benchmark</c> on a typical client machine.
    /// </summary>
    public IList<CalibrationPoint> Calibration { get; } = [];
}

/// <summary>One measured point of the calibration table.</summary>
public sealed class CalibrationPoint
{
    /// <summary>Creates an empty point (for configuration binding).</summary>
    public CalibrationPoint()
    {
    }

    /// <summary>Creates a point.</summary>
    public CalibrationPoint(int bits, double seconds)
    {
        Bits = bits;
        Seconds = seconds;
    }

    /// <summary>Leading zero bits.</summary>
    public int Bits { get; set; }

    /// <summary>Mean seconds a client took to find a nonce for <see cref="Bits"/>.</summary>
    public double Seconds { get; set; }
}
