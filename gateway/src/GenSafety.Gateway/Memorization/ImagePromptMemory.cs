using System.Security.Cryptography;
using System.Text;
using GenSafety.Detectors.Images;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The PDQ hashes of the images recently generated for each prompt of a tenant (on this replica), so that a prompt
/// whose pictures stay the same across seeds shows up: a generative model draws a new picture for a new seed unless
/// it has memorised one for the prompt. Bounded by <see cref="MemorizationOptions.ImagePromptCapacity"/> prompts (a
/// size-limited cache; the least recently used go first) and <see cref="MemorizationOptions.ImagePromptWindow"/>;
/// at most <see cref="ImagesPerPrompt"/> images per prompt. Prompts are kept as hashes, never as text.
/// </summary>
public sealed class ImagePromptMemory : IDisposable
{
    /// <summary>Images remembered per prompt (the newest).</summary>
    public const int ImagesPerPrompt = 8;

    private readonly MemoryCache _prompts;
    private readonly MemorizationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the memory.</summary>
    public ImagePromptMemory(IOptions<MemorizationOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _prompts = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.ImagePromptCapacity, CompactionPercentage = 0.1 });
    }

    /// <summary>
    /// Records <paramref name="hashes"/> (the images of one response) for <paramref name="prompt"/> and says whether one of
    /// them is within <see cref="MemorizationOptions.ImagePromptMaxDistance"/> of an image generated for the same prompt
    /// earlier with another seed, or with no seed given either time (then the upstream drew one). The same explicit
    /// seed reproducing the same picture is expected and does not count.
    /// </summary>
    public bool RecordAndCompare(string tenant, string prompt, long? seed, IReadOnlyList<PdqHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return false;
        }

        var key = Key(tenant, prompt);
        var images = _prompts.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = _options.ImagePromptWindow;
            return new PromptImages();
        })!;
        var now = _time.GetUtcNow();
        lock (images)
        {
            images.Seen.RemoveAll(s => now - s.At > _options.ImagePromptWindow);
            var repeated = images.Seen.Any(s => (s.Seed is null || s.Seed != seed)
                && hashes.Any(h => h.DistanceTo(s.Hash) <= _options.ImagePromptMaxDistance));
            foreach (var hash in hashes)
            {
                images.Seen.Add(new SeenImage(hash, seed, now));
            }

            if (images.Seen.Count > ImagesPerPrompt)
            {
                images.Seen.RemoveRange(0, images.Seen.Count - ImagesPerPrompt);
            }

            return repeated;
        }
    }

    /// <summary>Prompts remembered now.</summary>
    public int Count => _prompts.Count;

    /// <inheritdoc />
    public void Dispose() => _prompts.Dispose();

    // Tenant and a SHA-256 prefix of the prompt, lower-cased with white space collapsed (so retyping does not hide it).
    private static string Key(string tenant, string prompt)
    {
        var normalized = string.Join(' ', prompt.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return tenant + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)), 0, 16);
    }

    private sealed record SeenImage(PdqHash Hash, long? Seed, DateTimeOffset At);

    private sealed class PromptImages
    {
        public List<SeenImage> Seen { get; } = [];
    }
}
