namespace GenSafety.Gateway.Memorization;

/// <summary>The corpora of a single gateway kept in process (when the gateway runs on in-memory state).</summary>
internal sealed class InMemoryProtectedCorpusStore : IProtectedCorpusStore, IDisposable
{
    private readonly ProtectedCorpus _corpus;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly HashSet<string> _textIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _images = new(StringComparer.Ordinal);

    public InMemoryProtectedCorpusStore(ProtectedCorpus corpus) => _corpus = corpus;

    public long StoredTextBytes { get; private set; }

    public async Task<ProtectedCorpusChange> AddTextAsync(IReadOnlyList<ProtectedDocument> documents, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var (fresh, skipped) = ProtectedCorpusChanges.Split(documents, d => d.Id, _textIds.Contains);
            var index = _corpus.Text;
            long ngrams = 0;
            if (fresh.Count > 0)
            {
                index = _corpus.CopyText(index);
                foreach (var document in fresh)
                {
                    ngrams += index.AddDocument(document.Id, document.Text);
                    _textIds.Add(document.Id);
                }

                StoredTextBytes = TextSnapshotBytes.Of(index).TotalBytes;
                _corpus.SetText(index, index.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return new ProtectedCorpusChange([.. fresh.Select(d => d.Id)], skipped, ngrams, index.Version);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<ProtectedCorpusChange> AddImagesAsync(IReadOnlyList<ProtectedImage> images, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var (fresh, skipped) = ProtectedCorpusChanges.Split(images, i => i.Id, _images.Contains);
            var version = _corpus.ImagesVersion;
            if (fresh.Count > 0)
            {
                // The image index takes adds while it serves (it swaps an immutable array).
                var index = _corpus.Images;
                foreach (var image in fresh)
                {
                    _images.Add(image.Id);
                    index.Add(image.Id, image.Hashes);
                }

                _corpus.SetImages(index, ++version);
            }

            return new ProtectedCorpusChange([.. fresh.Select(i => i.Id)], skipped, 0, version);
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task<bool> RefreshAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public Task SubscribeAsync(Action onChange) => Task.CompletedTask;

    public void Dispose() => _writer.Dispose();
}
