using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Identity;
using GenSafety.LoadTests.ProofOfWork;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

public sealed class ChallengeTokenTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(PowTestServices.Secret);
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ClientIdentity Client = new("client-a", "tenant-a", "default", "key-1");

    private static string Issue(int bits = 10, ClientIdentity? client = null) =>
        ChallengeToken.Issue(Key, client ?? Client, bits, Now.AddMinutes(2));

    private static string Solve(string token, int bits) => ProofOfWorkSolver.Solve(token, bits, CancellationToken.None);

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(12)]
    public void Verify_SolvedBySolver_IsValid(int bits)
    {
        string token = Issue(bits);

        ChallengeVerification result = ChallengeToken.Verify(Key, token, Solve(token, bits), Client, Now);

        Assert.Equal(ChallengeResult.Valid, result.Result);
        Assert.Equal((Client.Tenant, Client.ClientId, bits, Now.AddMinutes(2)),
            (result.Claims!.Tenant, result.Claims.ClientId, result.Claims.Bits, result.Claims.ExpiresAt));
        Assert.Equal(22, result.Claims.TokenId.Length);
    }

    [Fact]
    public void Issue_TokensAreUniqueAndHeaderSafe()
    {
        string[] tokens = [.. Enumerable.Range(0, 100).Select(_ => Issue())];

        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.DoesNotMatch("[:;\\s=+/]", t));
        Assert.All(tokens, t => Assert.InRange(t.Length, 1, ChallengeToken.MaxTokenLength));
    }

    [Fact]
    public void Verify_NotEnoughWork_IsInsufficientWork()
    {
        string token = Issue(bits: 12);
        // A nonce that has 12 bits but not 20 (expected after 2^12 tries; search until one is found).
        string nonce = Enumerable.Range(0, 1 << 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(n => !ChallengeToken.HasWork(token, n, 12));

        Assert.Equal(ChallengeResult.InsufficientWork, ChallengeToken.Verify(Key, token, nonce, Client, Now).Result);
    }

    [Fact]
    public void Verify_OtherClientOrTenant_IsWrongClient()
    {
        string token = Issue(bits: 4);
        string nonce = Solve(token, 4);

        Assert.Equal(ChallengeResult.WrongClient, ChallengeToken.Verify(Key, token, nonce, Client with { ClientId = "client-b" }, Now).Result);
        Assert.Equal(ChallengeResult.WrongClient, ChallengeToken.Verify(Key, token, nonce, Client with { Tenant = "tenant-b" }, Now).Result);
        // Another key of the same client is the same client.
        Assert.Equal(ChallengeResult.Valid, ChallengeToken.Verify(Key, token, nonce, Client with { KeyId = "key-2" }, Now).Result);
    }

    [Fact]
    public void Verify_AtOrAfterExpiry_IsExpired()
    {
        string token = Issue(bits: 4);
        string nonce = Solve(token, 4);

        Assert.Equal(ChallengeResult.Valid, ChallengeToken.Verify(Key, token, nonce, Client, Now.AddMinutes(2).AddTicks(-1)).Result);
        Assert.Equal(ChallengeResult.Expired, ChallengeToken.Verify(Key, token, nonce, Client, Now.AddMinutes(2)).Result);
    }

    [Fact]
    public void Verify_OtherSecret_IsBadSignature()
    {
        string token = Issue(bits: 4);
        byte[] otherKey = Encoding.UTF8.GetBytes(PowTestServices.Secret + "x");

        Assert.Equal(ChallengeResult.BadSignature, ChallengeToken.Verify(otherKey, token, Solve(token, 4), Client, Now).Result);
    }

    [Fact]
    public void Verify_TamperedPayload_IsBadSignature()
    {
        // Lower the difficulty from 20 to 1 bit, keep the signature: the forgery is caught before the work check.
        string token = Issue(bits: 20);
        string[] parts = token.Split('.');
        string payload = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(parts[0])).Replace(":20:", ":1:", StringComparison.Ordinal);
        string forged = Base64Url.EncodeToString(Encoding.ASCII.GetBytes(payload)) + "." + parts[1];

        ChallengeVerification result = ChallengeToken.Verify(Key, forged, Solve(forged, 1), Client, Now);

        Assert.Equal(ChallengeResult.BadSignature, result.Result);
        Assert.Null(result.Claims);
    }

    [Fact]
    public void Verify_TamperedSignature_IsBadSignature()
    {
        string token = Issue(bits: 4);
        char last = token[^2];
        string tampered = token[..^2] + (last == 'A' ? 'B' : 'A') + token[^1];

        Assert.Equal(ChallengeResult.BadSignature, ChallengeToken.Verify(Key, tampered, "1", Client, Now).Result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".sig")]
    [InlineData("payload.")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    [InlineData("YWJj.YWJj")]
    public void Verify_MalformedToken_IsMalformed(string token) =>
        Assert.Equal(ChallengeResult.Malformed, ChallengeToken.Verify(Key, token, "1", Client, Now).Result);

    [Fact]
    public void Verify_SignedButUnparseablePayload_IsMalformed()
    {
        byte[] payload = Encoding.ASCII.GetBytes("9:tenant-a:client-a:4:1:id");
        string token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Key, payload));

        Assert.Equal(ChallengeResult.Malformed, ChallengeToken.Verify(Key, token, "1", Client, Now).Result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("é")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123X")]
    public void Verify_BadNonce_IsMalformed(string? nonce) =>
        Assert.Equal(ChallengeResult.Malformed, ChallengeToken.Verify(Key, Issue(), nonce, Client, Now).Result);

    [Fact]
    public void Verify_OverlongToken_IsMalformed() =>
        Assert.Equal(ChallengeResult.Malformed, ChallengeToken.Verify(Key, new string('A', 600) + ".x", "1", Client, Now).Result);

    [Theory]
    [InlineData(new byte[] { 0x80, 0 }, 0)]
    [InlineData(new byte[] { 0x01, 0 }, 7)]
    [InlineData(new byte[] { 0, 0x40 }, 9)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0x10 }, 67)]
    [InlineData(new byte[] { 0, 0, 0 }, 24)]
    public void LeadingZeroBits_CountsFromMostSignificantBit(byte[] hash, int expected)
    {
        Assert.Equal(expected, ChallengeToken.LeadingZeroBits(hash));
        Assert.Equal(expected, ProofOfWorkSolver.LeadingZeroBits(hash));
    }

    [Fact]
    public void Solver_NonceIsShortPrintableAscii_AndSolvesWithThreads()
    {
        string token = Issue(bits: 12);
        string nonce = ProofOfWorkSolver.Solve(token, 12, CancellationToken.None, threads: 2);

        Assert.True(ChallengeToken.IsValidNonce(nonce));
        Assert.True(ChallengeToken.HasWork(token, nonce, 12));
        Assert.Equal(token + ":" + nonce, ProofOfWorkSolver.ProofHeader(token, nonce));
    }

    [Fact]
    public void Solver_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.ThrowsAny<OperationCanceledException>(() => ProofOfWorkSolver.Solve(Issue(), 64, cts.Token));
    }

    [Fact]
    public void Solver_ParseChallenge_ReadsHeader() =>
        Assert.Equal(("abc.def", 17), ProofOfWorkSolver.ParseChallenge("abc.def; bits=17"));
}
