using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;

namespace GenSafety.Watermarking.Receipts;

/// <summary>
/// Issues and checks provenance receipts: compact JWS tokens (<c>header.payload.signature</c>, base64url) signed
/// with HS256 under the gateway's receipt key of the current epoch. Header <c>{"alg":"HS256","typ":"gs-receipt",
/// "kid":"r.{epoch}"}</c>; payload <c>{"oh":output SHA-256 hex,"mdl":model,"iat":unix seconds,"rid":record id}</c>.
/// Only HS256 is accepted on verification (no <c>none</c>, no algorithm switching).
/// </summary>
public sealed class ReceiptService
{
    /// <summary>The <c>typ</c> header value.</summary>
    public const string TokenType = "gs-receipt";

    /// <summary>Longest accepted receipt, in characters (bounds parsing work on untrusted input).</summary>
    public const int MaxLength = 4096;

    private const string Algorithm = "HS256";

    private readonly WatermarkKeyRing _keys;

    /// <summary>Creates the service over a key ring.</summary>
    public ReceiptService(WatermarkKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>Signs a receipt for an output with the current receipt key.</summary>
    public string Issue(string output, string model, DateTimeOffset issuedAt, string recordId)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Issue(new ReceiptClaims(OutputNormalizer.Sha256Hex(output), model, issuedAt, recordId));
    }

    /// <summary>Signs a receipt for already-hashed claims with the current receipt key.</summary>
    public string Issue(ReceiptClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var key = _keys.CurrentReceiptKey();
        var header = Json(writer =>
        {
            writer.WriteString("alg", Algorithm);
            writer.WriteString("typ", TokenType);
            writer.WriteString("kid", key.Kid);
        });
        var payload = Json(writer =>
        {
            writer.WriteString("oh", claims.OutputSha256);
            writer.WriteString("mdl", claims.Model);
            writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
            writer.WriteString("rid", claims.RecordId);
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        return signingInput + "." + Base64Url.EncodeToString(Sign(key, signingInput));
    }

    /// <summary>
    /// Checks a receipt: shape, algorithm, key id (live or retained epoch), signature in constant time, claims, and
    /// (when <paramref name="output"/> is given) that it covers that output. Never throws on bad input.
    /// </summary>
    public ReceiptVerification Verify(string? receipt, string? output = null)
    {
        if (string.IsNullOrEmpty(receipt) || receipt.Length > MaxLength)
        {
            return Reject(ReceiptStatus.Malformed, null, $"A receipt is a non-empty token of at most {MaxLength} characters.");
        }

        var parts = receipt.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes)
            || !TryDecode(parts[2], out var signature))
        {
            return Reject(ReceiptStatus.Malformed, null, "A receipt has three base64url parts separated by dots.");
        }

        if (!TryReadHeader(headerBytes, out var kid, out var headerError))
        {
            return Reject(ReceiptStatus.Malformed, kid, headerError);
        }

        if (!_keys.TryResolveReceiptKey(kid!, out var key))
        {
            return Reject(ReceiptStatus.UnknownKey, kid, "The receipt's key id is unknown or its epoch has been rotated out.");
        }

        var expected = Sign(key, receipt.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString());
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return Reject(ReceiptStatus.BadSignature, kid, "The receipt's signature does not match its contents.");
        }

        if (!TryReadClaims(payloadBytes, out var claims))
        {
            return Reject(ReceiptStatus.Malformed, kid, "The receipt's claims are incomplete.");
        }

        if (output is not null && !string.Equals(OutputNormalizer.Sha256Hex(output), claims!.OutputSha256, StringComparison.Ordinal))
        {
            return new ReceiptVerification(ReceiptStatus.OutputMismatch, kid, claims, "The receipt covers a different output.");
        }

        return new ReceiptVerification(ReceiptStatus.Valid, kid, claims, null);
    }

    private static ReceiptVerification Reject(ReceiptStatus status, string? kid, string reason) => new(status, kid, null, reason);

    private static byte[] Sign(WatermarkKey key, string signingInput) =>
        HMACSHA256.HashData(key.Material, Encoding.ASCII.GetBytes(signingInput));

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }

    private static bool TryReadHeader(byte[] header, out string? kid, out string error)
    {
        kid = null;
        error = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The receipt header is not a JSON object.";
                return false;
            }

            kid = root.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != Algorithm)
            {
                error = $"Only {Algorithm} receipts are accepted.";
                return false;
            }

            if (kid is null)
            {
                error = "The receipt header has no key id.";
                return false;
            }

            return true;
        }
        catch (JsonException)
        {
            error = "The receipt header is not valid JSON.";
            return false;
        }
    }

    private static bool TryReadClaims(byte[] payload, out ReceiptClaims? claims)
    {
        claims = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && TryString(root, "oh", out var hash) && TryString(root, "mdl", out var model) && TryString(root, "rid", out var record)
                && root.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var seconds)
                && seconds is >= 0 and < 253402300800)
            {
                claims = new ReceiptClaims(hash, model, DateTimeOffset.FromUnixTimeSeconds(seconds), record);
                return true;
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryString(JsonElement root, string name, out string value)
    {
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
