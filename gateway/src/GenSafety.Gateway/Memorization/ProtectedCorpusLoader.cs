using GenSafety.Detectors.Images;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Loads the protected corpora before the gateway serves: the shared store's current state, then the bulk folders
/// (<see cref="MemorizationOptions.BulkTextPath"/>, <see cref="MemorizationOptions.BulkImagesPath"/>; ids already
/// present are skipped, so every replica may load the same folders). Afterwards it reloads on every change notice
/// and, in case a notice was missed, every <see cref="MemorizationOptions.ReloadCheckInterval"/>. A store outage is
/// logged and retried at the next check; the filters keep the corpora they have.
/// </summary>
internal sealed partial class ProtectedCorpusLoader : BackgroundService
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"];

    private readonly IProtectedCorpusStore _store;
    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationOptions _options;
    private readonly ILogger<ProtectedCorpusLoader> _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private bool _subscribed;
    private bool _foldersLoaded;

    public ProtectedCorpusLoader(IProtectedCorpusStore store, ProtectedCorpus corpus, IOptions<MemorizationOptions> options, ILogger<ProtectedCorpusLoader> logger)
    {
        _store = store;
        _corpus = corpus;
        _options = options.Value;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogStoreUnavailable(_logger, ex);
        }

        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(_options.ReloadCheckInterval, stoppingToken);
                await SyncAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StateStoreUnavailableException ex)
            {
                LogStoreUnavailable(_logger, ex);
            }
        }
    }

    // What failed while the store was down (the subscription, the folders) is retried here until it succeeds.
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (!_subscribed)
        {
            await _store.SubscribeAsync(OnChanged);
            _subscribed = true;
        }

        await _store.RefreshAsync(cancellationToken);
        if (!_foldersLoaded)
        {
            await LoadFoldersAsync(cancellationToken);
            _foldersLoaded = true;
        }
    }

    // Several notices while a reload runs need one more reload, not several.
    private void OnChanged()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoadFoldersAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.BulkTextPath))
        {
            var documents = new List<ProtectedDocument>();
            foreach (var file in Directory.EnumerateFiles(_options.BulkTextPath, "*.txt").Order(StringComparer.Ordinal))
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken);
                if (text.Length is > 0 && text.Length <= _options.MaxDocumentChars)
                {
                    documents.Add(new ProtectedDocument(Path.GetFileNameWithoutExtension(file), text));
                }
                else
                {
                    LogFileSkipped(_logger, Path.GetFileName(file), "empty or longer than MaxDocumentChars");
                }
            }

            var change = await _store.AddTextAsync(documents, cancellationToken);
            LogFolderLoaded(_logger, "text", change.Added.Count, change.Skipped.Count);
        }

        if (!string.IsNullOrWhiteSpace(_options.BulkImagesPath))
        {
            var images = new List<ProtectedImage>();
            foreach (var file in Directory.EnumerateFiles(_options.BulkImagesPath).Order(StringComparer.Ordinal))
            {
                if (!ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
                {
                    continue;
                }

                var id = Path.GetFileNameWithoutExtension(file);
                try
                {
                    var hashes = PdqHasher.HashDihedral(await File.ReadAllBytesAsync(file, cancellationToken));
                    if (hashes[0].Quality >= _corpus.ImageOptions.MinQuality)
                    {
                        images.Add(new ProtectedImage(id, hashes));
                        continue;
                    }

                    LogFileSkipped(_logger, Path.GetFileName(file), "PDQ quality below Images:MinQuality");
                }
                catch (InvalidDataException)
                {
                    LogFileSkipped(_logger, Path.GetFileName(file), "not a decodable image");
                }
            }

            var change = await _store.AddImagesAsync(images, cancellationToken);
            LogFolderLoaded(_logger, "images", change.Added.Count, change.Skipped.Count);
        }
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "The protected-corpus store is unavailable; the memorization filters keep their current corpora and retry")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Protected {Corpus} folder loaded: {Added} added, {Skipped} already present")]
    private static partial void LogFolderLoaded(ILogger logger, string corpus, int added, int skipped);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Protected-corpus file {File} skipped: {Why}")]
    private static partial void LogFileSkipped(ILogger logger, string file, string why);
}
