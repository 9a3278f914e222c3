using System.Text;
using GenSafety.Gateway.Identity;

namespace GenSafety.Gateway.Tests.Identity;

public sealed class ApiKeysTests
{
    private static readonly byte[] Pepper = Encoding.UTF8.GetBytes("pepper-pepper-pepper");

    [Fact]
    public void Generate_KeyCarriesItsId()
    {
        var (key, keyId) = ApiKeys.Generate();

        Assert.StartsWith("gsk_", key);
        Assert.Equal(keyId, ApiKeys.GetKeyId(key));
        Assert.NotEqual(ApiKeys.Generate().Key, key);
    }

    [Fact]
    public void GetKeyId_ForeignKey_DerivesStableId()
    {
        Assert.Equal(ApiKeys.GetKeyId("my-demo-key"), ApiKeys.GetKeyId("my-demo-key"));
        Assert.NotEqual(ApiKeys.GetKeyId("my-demo-key"), ApiKeys.GetKeyId("my-demo-key2"));
        Assert.StartsWith("h", ApiKeys.GetKeyId("my-demo-key"));
    }

    [Theory]
    [InlineData("")]
    public void GetKeyId_Empty_IsNull(string key) => Assert.Null(ApiKeys.GetKeyId(key));

    [Fact]
    public void GetKeyId_TooLong_IsNull() => Assert.Null(ApiKeys.GetKeyId(new string('k', 600)));

    [Fact]
    public void Verify_MatchesOnlyTheSameKeySaltAndPepper()
    {
        var (key, _) = ApiKeys.Generate();
        var salt = ApiKeys.NewSalt();
        var hash = ApiKeys.Hash(Pepper, salt, key);

        Assert.True(ApiKeys.Verify(Pepper, salt, key, hash));
        Assert.False(ApiKeys.Verify(Pepper, salt, key + "x", hash));
        Assert.False(ApiKeys.Verify(Pepper, ApiKeys.NewSalt(), key, hash));
        Assert.False(ApiKeys.Verify(Encoding.UTF8.GetBytes("another-pepper-value"), salt, key, hash));
        Assert.DoesNotContain(key, Convert.ToBase64String(hash), StringComparison.Ordinal);
    }
}
