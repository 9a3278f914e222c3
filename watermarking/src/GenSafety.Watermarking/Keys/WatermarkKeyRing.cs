using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Watermarking.Keys;

/// <summary>
/// Per-tenant, per-epoch keys derived from the master key: the live key marks new outputs, detection tries the live
/// key and the <see cref="KeyRingOptions.RetiredEpochs"/> before it. Derived keys are cached (one HKDF each).
/// </summary>
public sealed class WatermarkKeyRing
{
    private const int KeyLength = 32;
    private const string ReceiptKidPrefix = "r.";

    private readonly WatermarkMasterKey _master;
    private readonly KeyRingOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _tagKey;
    private readonly ConcurrentDictionary<(KeyPurpose Purpose, string Tenant, long Epoch), WatermarkKey> _cache = new();

    /// <summary>Creates the ring; <paramref name="options"/> must be valid (see <see cref="KeyRingOptionsValidator"/>).</summary>
    public WatermarkKeyRing(WatermarkMasterKey master, KeyRingOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(master);
        OptionsGuard.ThrowIfInvalid(new KeyRingOptionsValidator(), options, nameof(options));
        ArgumentNullException.ThrowIfNull(time);

        _master = master;
        _options = options;
        _time = time;
        _tagKey = master.Derive("kid-tag", string.Empty, 0, KeyLength);
    }

    /// <summary>The current epoch: whole rotation periods since the Unix epoch.</summary>
    public long CurrentEpoch => _time.GetUtcNow().ToUnixTimeMilliseconds() / (long)_options.RotationPeriod.TotalMilliseconds;

    /// <summary>Number of keys detection tries per tenant (live + retired): the Bonferroni factor.</summary>
    public int DetectionKeyCount => _options.RetiredEpochs + 1;

    /// <summary>The live key of <paramref name="tenant"/> for <paramref name="purpose"/>.</summary>
    public WatermarkKey Current(string tenant, KeyPurpose purpose) => Get(tenant, purpose, CurrentEpoch);

    /// <summary>The live key and the retired ones, newest first (<see cref="DetectionKeyCount"/> keys).</summary>
    public IReadOnlyList<WatermarkKey> DetectionKeys(string tenant, KeyPurpose purpose)
    {
        var current = CurrentEpoch;
        var keys = new WatermarkKey[DetectionKeyCount];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Get(tenant, purpose, current - i);
        }

        return keys;
    }

    /// <summary>
    /// Finds the key a mark names, if it belongs to <paramref name="tenant"/> and its epoch is live or still retained.
    /// </summary>
    public bool TryResolve(string tenant, string kid, KeyPurpose purpose, out WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        key = null!;
        var dot = kid?.LastIndexOf('.') ?? -1;
        if (dot <= 0 || !long.TryParse(kid.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || !kid.AsSpan(0, dot).SequenceEqual(TenantTag(tenant)) || !IsRetained(epoch))
        {
            return false;
        }

        key = Get(tenant, purpose, epoch);
        return true;
    }

    /// <summary>
    /// The key of <paramref name="tenant"/> for <paramref name="purpose"/> that never rotates (epoch 0): for transforms
    /// whose outputs must stay comparable for as long as they are kept, such as a tenant's embedding rotation —
    /// vectors indexed last year must still match today's queries.
    /// </summary>
    public WatermarkKey Permanent(string tenant, KeyPurpose purpose) => Get(tenant, purpose, 0);

    /// <summary>The gateway-wide receipt signing key of the current epoch (kid <c>r.{epoch}</c>).</summary>
    public WatermarkKey CurrentReceiptKey() => Get(string.Empty, KeyPurpose.Receipt, CurrentEpoch);

    /// <summary>Finds the receipt key a receipt names, if its epoch is live or still retained.</summary>
    public bool TryResolveReceiptKey(string kid, out WatermarkKey key)
    {
        key = null!;
        if (kid is null || !kid.StartsWith(ReceiptKidPrefix, StringComparison.Ordinal)
            || !long.TryParse(kid.AsSpan(ReceiptKidPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || !IsRetained(epoch))
        {
            return false;
        }

        key = Get(string.Empty, KeyPurpose.Receipt, epoch);
        return true;
    }

    private bool IsRetained(long epoch)
    {
        var current = CurrentEpoch;
        return epoch <= current && epoch >= current - _options.RetiredEpochs;
    }

    private WatermarkKey Get(string tenant, KeyPurpose purpose, long epoch)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _cache.GetOrAdd((purpose, tenant, epoch), static (id, ring) =>
        {
            var kid = id.Purpose == KeyPurpose.Receipt
                ? ReceiptKidPrefix + id.Epoch.ToString(CultureInfo.InvariantCulture)
                : ring.TenantTag(id.Tenant) + "." + id.Epoch.ToString(CultureInfo.InvariantCulture);
            var material = ring._master.Derive(PurposeLabel(id.Purpose), id.Tenant, id.Epoch, KeyLength);
            return new WatermarkKey(kid, id.Tenant, id.Epoch, id.Purpose, material);
        }, this);
    }

    /// <summary>An opaque 8-character tag for the tenant (keyed, so kids do not reveal tenant names).</summary>
    private string TenantTag(string tenant)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_tagKey, Encoding.UTF8.GetBytes(tenant), mac);
        return System.Buffers.Text.Base64Url.EncodeToString(mac[..6]);
    }

    private static string PurposeLabel(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.UnigramBias => "unigram-bias",
        KeyPurpose.Lexical => "lexical",
        KeyPurpose.Receipt => "receipt",
        KeyPurpose.Image => "image",
        KeyPurpose.Embedding => "embedding",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown key purpose."),
    };
}
