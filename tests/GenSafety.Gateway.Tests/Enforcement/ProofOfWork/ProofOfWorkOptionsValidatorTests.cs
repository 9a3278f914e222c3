using GenSafety.Gateway.Enforcement.ProofOfWork;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

public sealed class ProofOfWorkOptionsValidatorTests
{
    private readonly ProofOfWorkOptionsValidator _validator = new();

    [Fact]
    public void Defaults_WithSecret_AreValid()
    {
        var options = new ProofOfWorkOptions { Secret = PowTestServices.Secret };

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal((TimeSpan.FromMinutes(2), 8, 28), (options.TokenLifetime, options.MinBits, options.MaxBits));
    }

    [Fact]
    public void SecretFile_IsRead()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, PowTestServices.Secret + "\n");
            Assert.True(_validator.Validate(null, new ProofOfWorkOptions { SecretFile = path }).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EveryInvalidSetting_IsReportedAtOnce()
    {
        var options = new ProofOfWorkOptions
        {
            Secret = "short-secret-hunter2",
            TokenLifetime = TimeSpan.Zero,
            MinBits = 45,
            MaxBits = 20,
            MinTargetTime = TimeSpan.FromSeconds(5),
            MaxTargetTime = TimeSpan.FromSeconds(1),
        };
        options.Calibration.Add(new CalibrationPoint(16, 1));

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(6, result.Failures!.Count());
        Assert.All(
            ["Secret", "TokenLifetime", "MinBits must be between", "MinBits must not exceed", "MinTargetTime", "Calibration"],
            text => Assert.Contains(result.Failures!, f => f.Contains(text, StringComparison.Ordinal)));
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSecretFile_IsReported()
    {
        var result = _validator.Validate(null, new ProofOfWorkOptions { SecretFile = "/nonexistent/pow-secret" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("could not be read", StringComparison.Ordinal));
    }
}
