using System.Globalization;
using System.Security.Cryptography;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The protected corpora in Redis (<see cref="MemorizationRedisKeys"/>), shared by every replica. A text add loads
/// the current snapshot (or copies this replica's, when it is the current one), adds the new documents, writes a new
/// snapshot under fresh keys and makes it current with a compare-and-set (<see cref="MemorizationRedisScripts.Commit"/>); a concurrent
/// add from another replica makes the set fail and the add start again from the newer snapshot. Changes are announced
/// on the change channel; replicas reload on the notice, at start-up and at every periodic check.
/// </summary>
internal sealed partial class RedisProtectedCorpusStore : IProtectedCorpusStore, IDisposable
{
    private const int MaxCommitAttempts = 8;
    private static readonly TimeSpan ReplacedSnapshotTtl = TimeSpan.FromMinutes(1);

    private readonly IConnectionMultiplexer _connection;
    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationRedisKeys _keys;
    private readonly ILogger<RedisProtectedCorpusStore> _logger;
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly HashSet<string> _imageIds = new(StringComparer.Ordinal);

    public RedisProtectedCorpusStore(
        IConnectionMultiplexer connection, ProtectedCorpus corpus, IOptions<StateStoreOptions> state, ILogger<RedisProtectedCorpusStore> logger)
    {
        _connection = connection;
        _corpus = corpus;
        _keys = new MemorizationRedisKeys(state.Value.KeyPrefix);
        _logger = logger;
    }

    public long StoredTextBytes { get; private set; }

    public Task<ProtectedCorpusChange> AddTextAsync(IReadOnlyList<ProtectedDocument> documents, CancellationToken cancellationToken)
        => documents.Count == 0 ? Task.FromResult(new ProtectedCorpusChange([], [], 0, _corpus.Text.Version))
            : LockedAsync(() => AddTextCoreAsync(documents), cancellationToken);

    public Task<ProtectedCorpusChange> AddImagesAsync(IReadOnlyList<ProtectedImage> images, CancellationToken cancellationToken)
        => images.Count == 0 ? Task.FromResult(new ProtectedCorpusChange([], [], 0, _corpus.ImagesVersion))
            : LockedAsync(() => AddImagesCoreAsync(images), cancellationToken);

    public Task<bool> RefreshAsync(CancellationToken cancellationToken)
        => LockedAsync(async () => await RefreshTextAsync() | await RefreshImagesAsync(), cancellationToken);

    public async Task SubscribeAsync(Action onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        try
        {
            await _connection.GetSubscriber().SubscribeAsync(_keys.Changed, (_, _) => onChange());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("Subscribing to protected-corpus changes failed.", ex);
        }
    }

    public void Dispose() => _sync.Dispose();

    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis store of the protected corpora failed.", ex);
        }
        finally
        {
            _sync.Release();
        }
    }

    private async Task<ProtectedCorpusChange> AddTextCoreAsync(IReadOnlyList<ProtectedDocument> documents)
    {
        var db = _connection.GetDatabase();
        for (var attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            var head = await ReadHeadAsync(db);
            var index = head.Snapshot.Length == 0 ? _corpus.NewText()
                : head.Snapshot == _corpus.TextSnapshot ? _corpus.CopyText(_corpus.Text)
                : await LoadAsync(db, head);
            if (index is null)
            {
                continue; // replaced while being read
            }

            var present = await db.SetContainsAsync(_keys.TextIds, [.. documents.Select(d => (RedisValue)d.Id)]);
            var presentIds = documents.Where((_, i) => present[i]).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var (fresh, skipped) = ProtectedCorpusChanges.Split(documents, d => d.Id, presentIds.Contains);
            if (fresh.Count == 0)
            {
                return new ProtectedCorpusChange([], skipped, 0, head.Version);
            }

            long ngrams = 0;
            foreach (var document in fresh)
            {
                ngrams += index.AddDocument(document.Id, document.Text);
            }

            var stored = TextSnapshotBytes.Of(index);
            var snapshot = index.Version.ToString(CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var keys = _keys.SnapshotKeys(snapshot, stored.BloomChunks.Count, stored.AttributionChunks.Count);
            byte[][] values = [stored.Header, .. stored.BloomChunks, .. stored.AttributionChunks];
            await Task.WhenAll(keys.Select((key, i) => db.StringSetAsync(key, values[i])));
            RedisValue[] args =
            [
                head.Snapshot, snapshot, index.Version, index.DocumentCount, index.NgramCount, stored.BloomChunks.Count, stored.AttributionChunks.Count,
                stored.TotalBytes, .. fresh.Select(d => (RedisValue)d.Id),
            ];
            if ((int)await db.ScriptEvaluateAsync(MemorizationRedisScripts.Commit, [_keys.Text, _keys.TextIds], args) == 1)
            {
                if (head.Snapshot.Length > 0)
                {
                    await Task.WhenAll(_keys.SnapshotKeys(head.Snapshot, head.BloomChunks, head.AttributionChunks)
                        .Select(key => db.KeyExpireAsync(key, ReplacedSnapshotTtl)));
                }

                StoredTextBytes = stored.TotalBytes;
                _corpus.SetText(index, snapshot);
                await PublishAsync("text");
                return new ProtectedCorpusChange([.. fresh.Select(d => d.Id)], skipped, ngrams, index.Version);
            }

            await db.KeyDeleteAsync(keys);
            LogCommitConflict(_logger, attempt + 1);
        }

        throw new StateStoreUnavailableException($"Adding protected documents lost the compare-and-set {MaxCommitAttempts} times to other replicas' adds; retry.");
    }

    private async Task<ProtectedCorpusChange> AddImagesCoreAsync(IReadOnlyList<ProtectedImage> images)
    {
        var db = _connection.GetDatabase();
        var args = new List<RedisValue>(images.Count * 2);
        foreach (var image in images)
        {
            args.Add(image.Id);
            args.Add(StoredImage.Format(image));
        }

        var result = (RedisResult[])(await db.ScriptEvaluateAsync(MemorizationRedisScripts.AddImages, [_keys.Images, _keys.ImagesVersion], [.. args]))!;
        var version = long.Parse((string)result[0]!, CultureInfo.InvariantCulture);
        var added = result.Skip(1).Select(r => (string)r!).ToList();
        var addedSet = added.ToHashSet(StringComparer.Ordinal);
        var skipped = images.Select(i => i.Id).Where(id => !addedSet.Remove(id)).ToList();
        if (added.Count > 0)
        {
            await RefreshImagesAsync();
            await PublishAsync("images");
        }

        return new ProtectedCorpusChange(added, skipped, 0, version);
    }

    private async Task<bool> RefreshTextAsync()
    {
        var db = _connection.GetDatabase();
        for (var attempt = 0; attempt < MaxCommitAttempts; attempt++)
        {
            var head = await ReadHeadAsync(db);
            if (head.Snapshot.Length == 0 || head.Snapshot == _corpus.TextSnapshot)
            {
                return false;
            }

            if (await LoadAsync(db, head) is { } index)
            {
                StoredTextBytes = head.Bytes;
                _corpus.SetText(index, head.Snapshot);
                LogReloaded(_logger, "text", index.Version);
                return true;
            }
        }

        return false;
    }

    private async Task<bool> RefreshImagesAsync()
    {
        var db = _connection.GetDatabase();
        var version = (long?)await db.StringGetAsync(_keys.ImagesVersion) ?? 0;
        if (version == _corpus.ImagesVersion)
        {
            return false;
        }

        // Images are only ever added, so the ones this replica has not seen yet are added to the serving index.
        var index = _corpus.Images;
        foreach (var entry in await db.HashGetAllAsync(_keys.Images))
        {
            var id = (string)entry.Name!;
            if (!_imageIds.Contains(id) && StoredImage.TryParse(entry.Value, out var hashes) && hashes[0].Quality >= _corpus.ImageOptions.MinQuality)
            {
                index.Add(id, hashes);
                _imageIds.Add(id);
            }
        }

        _corpus.SetImages(index, version);
        LogReloaded(_logger, "images", version);
        return true;
    }

    private async Task<TextHead> ReadHeadAsync(IDatabase db)
    {
        var fields = await db.HashGetAsync(_keys.Text, MemorizationRedisKeys.TextFields);
        return new TextHead(
            fields[0].IsNull ? string.Empty : (string)fields[0]!,
            (long?)fields[1] ?? 0,
            (int?)fields[4] ?? 0,
            (int?)fields[5] ?? 0,
            (long?)fields[6] ?? 0);
    }

    // Null when a key is gone (the snapshot was replaced and expired while being read).
    private async Task<ProtectedTextIndex?> LoadAsync(IDatabase db, TextHead head)
    {
        var keys = _keys.SnapshotKeys(head.Snapshot, head.BloomChunks, head.AttributionChunks);
        var values = await Task.WhenAll(keys.Select(key => db.StringGetAsync(key)));
        if (values.Any(v => v.IsNull))
        {
            return null;
        }

        var bytes = values.Select(v => (byte[])v!).ToArray();
        var stored = new TextSnapshotBytes(bytes[0], bytes[1..(1 + head.BloomChunks)], bytes[(1 + head.BloomChunks)..]);
        try
        {
            return stored.Load(_corpus.TextOptions);
        }
        catch (InvalidDataException ex)
        {
            LogSnapshotRefused(_logger, head.Snapshot, ex);
            return null;
        }
    }

    private Task<long> PublishAsync(string what) => _connection.GetSubscriber().PublishAsync(_keys.Changed, what);

    private sealed record TextHead(string Snapshot, long Version, int BloomChunks, int AttributionChunks, long Bytes);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Protected {Corpus} corpus reloaded from Redis (version {Version})")]
    private static partial void LogReloaded(ILogger logger, string corpus, long version);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "Protected-text commit lost to another replica's add (attempt {Attempt}); retrying from the newer snapshot")]
    private static partial void LogCommitConflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Stored protected-text snapshot {Snapshot} was refused; this replica keeps its current index")]
    private static partial void LogSnapshotRefused(ILogger logger, string snapshot, Exception exception);
}
