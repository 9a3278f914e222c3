using GenSafety.Detectors.Images;
using GenSafety.Detectors.Memorization;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The protected corpora this replica checks against right now. An index is never changed while it serves: a change
/// builds a copy (<see cref="CopyText"/>), adds to it and swaps it in, so filters read without locks.
/// </summary>
public sealed class ProtectedCorpus
{
    private readonly ProtectedTextIndexOptions _textOptions;
    private readonly ProtectedImageIndexOptions _imageOptions;
    private TextState _text;
    private ImageState _images;

    /// <summary>Creates empty corpora.</summary>
    public ProtectedCorpus(IOptions<ProtectedTextIndexOptions> textOptions, IOptions<ProtectedImageIndexOptions> imageOptions)
    {
        ArgumentNullException.ThrowIfNull(textOptions);
        ArgumentNullException.ThrowIfNull(imageOptions);
        _textOptions = textOptions.Value;
        _imageOptions = imageOptions.Value;
        var empty = new ProtectedTextIndex(_textOptions);
        _text = new TextState(empty, new ProtectedPrefixDetector(empty), string.Empty);
        _images = new ImageState(new ProtectedImageIndex(_imageOptions), 0);
    }

    /// <summary>The text index options every index here uses.</summary>
    public ProtectedTextIndexOptions TextOptions => _textOptions;

    /// <summary>The image index options.</summary>
    public ProtectedImageIndexOptions ImageOptions => _imageOptions;

    /// <summary>The protected-text index now (read-only).</summary>
    public ProtectedTextIndex Text => Volatile.Read(ref _text).Index;

    /// <summary>The prompt check over <see cref="Text"/>.</summary>
    public ProtectedPrefixDetector Prefix => Volatile.Read(ref _text).Prefix;

    /// <summary>Which stored snapshot <see cref="Text"/> is (empty before the first one).</summary>
    public string TextSnapshot => Volatile.Read(ref _text).Snapshot;

    /// <summary>The protected-image index now.</summary>
    public ProtectedImageIndex Images => Volatile.Read(ref _images).Index;

    /// <summary>The stored version <see cref="Images"/> was built from.</summary>
    public long ImagesVersion => Volatile.Read(ref _images).Version;

    /// <summary>Counts reloads (for metrics).</summary>
    public event Action<string>? Swapped;

    /// <summary>Serves <paramref name="index"/> (snapshot <paramref name="snapshot"/>) from now on.</summary>
    public void SetText(ProtectedTextIndex index, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(index);
        Volatile.Write(ref _text, new TextState(index, new ProtectedPrefixDetector(index), snapshot));
        Swapped?.Invoke("text");
    }

    /// <summary>Serves <paramref name="index"/> (version <paramref name="version"/>) from now on.</summary>
    public void SetImages(ProtectedImageIndex index, long version)
    {
        ArgumentNullException.ThrowIfNull(index);
        Volatile.Write(ref _images, new ImageState(index, version));
        Swapped?.Invoke("images");
    }

    /// <summary>A new, empty text index with the configured options.</summary>
    public ProtectedTextIndex NewText() => new(_textOptions);

    /// <summary>An exact copy of <paramref name="index"/> (bits, counts, version and attribution) that may be added to.</summary>
    public ProtectedTextIndex CopyText(ProtectedTextIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var snapshot = TextSnapshotBytes.Of(index);
        return snapshot.Load(_textOptions);
    }

    private sealed record TextState(ProtectedTextIndex Index, ProtectedPrefixDetector Prefix, string Snapshot);

    private sealed record ImageState(ProtectedImageIndex Index, long Version);
}
