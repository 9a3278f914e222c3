using GenSafety.Gateway.Provenance;

namespace GenSafety.Gateway.Tests.Provenance;

public sealed class ProvenanceOptionsValidatorTests
{
    private static readonly ProvenanceOptionsValidator Validator = new();

    [Fact]
    public void Validate_DisabledDefaults_Succeeds()
        => Assert.True(Validator.Validate(null, new ProvenanceOptions()).Succeeded);

    [Fact]
    public void Validate_EnabledWithKey_Succeeds()
        => Assert.True(Validator.Validate(null, new ProvenanceOptions { Enabled = true, MasterKey = ProvenanceTestHelpers.MasterKey }).Succeeded);

    [Fact]
    public void Validate_EnabledWithoutKey_FailsNamingTheSetting()
    {
        var result = Validator.Validate(null, new ProvenanceOptions { Enabled = true });

        Assert.True(result.Failed);
        Assert.Contains("GenSafety__Watermarking__MasterKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQta2V5")]                   // base64 of 9 bytes
    [InlineData("not base64 but a long secret!!")]
    public void Validate_BadKey_FailsWithoutQuotingIt(string key)
    {
        var result = Validator.Validate(null, new ProvenanceOptions { Enabled = true, MasterKey = key });

        Assert.True(result.Failed);
        Assert.DoesNotContain(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyFromFile_Succeeds_MissingFile_Fails()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, ProvenanceTestHelpers.MasterKey + "\n");
            Assert.True(Validator.Validate(null, new ProvenanceOptions { Enabled = true, MasterKeyFile = path }).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.True(Validator.Validate(null, new ProvenanceOptions { Enabled = true, MasterKeyFile = path }).Failed);
    }

    [Fact]
    public void Validate_EveryBadSetting_ReportedAtOnce()
    {
        var options = new ProvenanceOptions
        {
            DefaultScheme = "kgw",
            TenantSchemes = { ["acme"] = "synthid" },
            ReceiptAlgorithm = "none",
            LedgerRetention = TimeSpan.FromMinutes(5),
            NearDuplicateThreshold = 0,
            MaxCandidatesPerBand = 0,
            MaxVerifyTextCharacters = 0,
            VerifyFalsePositiveRate = 0.9,
            ImageMaxHammingDistance = 200,
            MaxVerifyImageBytes = 10,
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(10, failures.Count);
        Assert.Contains(failures, f => f.Contains("TenantSchemes:acme", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ImageMaxHammingDistance", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxVerifyImageBytes", StringComparison.Ordinal));
    }
}
