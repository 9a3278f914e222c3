using System.Security.Cryptography;

namespace GenSafety.ReferenceModel.Http;

/// <summary>Response ids and timestamps in OpenAI's formats.</summary>
internal static class ResponseIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new id such as <c>chatcmpl-9xQ...</c>.</summary>
    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 29);

    /// <summary>Now, in Unix seconds.</summary>
    public static long Created() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
