using System.Globalization;
using StackExchange.Redis;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Redis layout of the protected corpora (prefix <c>gs</c> by default; the corpora are the deployment's, not a
/// tenant's):
/// <list type="table">
/// <item><term><c>gs:memo:text</c></term><description>hash: <c>snapshot version documents ngrams bloom_chunks attribution_chunks bytes</c> — which snapshot is current</description></item>
/// <item><term><c>gs:memo:text:{snapshot}:h</c></term><description>the 64-byte index header</description></item>
/// <item><term><c>gs:memo:text:{snapshot}:c{i}</c></term><description>Bloom bit-array chunk i (1 MiB, the last shorter)</description></item>
/// <item><term><c>gs:memo:text:{snapshot}:a{i}</c></term><description>attribution map chunk i</description></item>
/// <item><term><c>gs:memo:text:ids</c></term><description>set of protected document ids</description></item>
/// <item><term><c>gs:memo:images</c></term><description>hash: image id → quality and its eight dihedral PDQ hashes (hex)</description></item>
/// <item><term><c>gs:memo:images:version</c></term><description>counter, incremented by every image add</description></item>
/// <item><term><c>gs:memo:changed</c></term><description>pub/sub channel: <c>text</c> or <c>images</c> after a change</description></item>
/// </list>
/// A snapshot id is <c>{version}-{random}</c>, so two replicas adding at once never write the same keys; the loser
/// of the compare-and-set deletes its keys and retries, and a replaced snapshot expires a minute later (replicas
/// still reading it finish first).
/// </summary>
internal sealed class MemorizationRedisKeys(string prefix)
{
    /// <summary>Field names of the text hash.</summary>
    public static readonly RedisValue[] TextFields = ["snapshot", "version", "documents", "ngrams", "bloom_chunks", "attribution_chunks", "bytes"];

    /// <summary>The current-snapshot hash.</summary>
    public RedisKey Text { get; } = $"{prefix}:memo:text";

    /// <summary>The set of document ids.</summary>
    public RedisKey TextIds { get; } = $"{prefix}:memo:text:ids";

    /// <summary>The image hash.</summary>
    public RedisKey Images { get; } = $"{prefix}:memo:images";

    /// <summary>The image version counter.</summary>
    public RedisKey ImagesVersion { get; } = $"{prefix}:memo:images:version";

    /// <summary>The change channel.</summary>
    public RedisChannel Changed { get; } = RedisChannel.Literal($"{prefix}:memo:changed");

    /// <summary>A snapshot's header.</summary>
    public RedisKey Header(string snapshot) => $"{prefix}:memo:text:{snapshot}:h";

    /// <summary>A snapshot's Bloom chunk.</summary>
    public RedisKey BloomChunk(string snapshot, int i) => $"{prefix}:memo:text:{snapshot}:c{i.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A snapshot's attribution chunk.</summary>
    public RedisKey AttributionChunk(string snapshot, int i) => $"{prefix}:memo:text:{snapshot}:a{i.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Every key of a snapshot.</summary>
    public RedisKey[] SnapshotKeys(string snapshot, int bloomChunks, int attributionChunks) =>
    [
        Header(snapshot),
        .. Enumerable.Range(0, bloomChunks).Select(i => BloomChunk(snapshot, i)),
        .. Enumerable.Range(0, attributionChunks).Select(i => AttributionChunk(snapshot, i)),
    ];
}
