using System.Net.Http.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using StackExchange.Redis;
using Xunit.Abstractions;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>The protected corpora shared by two gateway replicas on one real Redis.</summary>
public sealed class ProtectedCorpusRedisTests(SharedRedisFixture redis, ITestOutputHelper output) : IClassFixture<SharedRedisFixture>
{
    internal static string[] RedisArgs(SharedRedisFixture redis, string prefix, params string[] more) =>
    [
        .. GatewayArgs, $"--GenSafety:Redis:ConnectionString={redis.EndPoint}", $"--GenSafety:Redis:KeyPrefix={prefix}", .. more,
    ];

    /// <summary>Polls until <paramref name="condition"/> holds (replicas reload asynchronously) or 10 s pass.</summary>
    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }

    [Fact]
    public async Task AddOnOneReplica_OtherReloadsThroughPubSub_SnapshotStoredInChunks()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        // A long periodic check: the reload must come from the change notice.
        string[] args = RedisArgs(redis, prefix, "--GenSafety:Memorization:ReloadCheckInterval=01:00:00");
        await using var a = await GatewayHost.StartAsync(upstream.Url, args);
        await using var b = await GatewayHost.StartAsync(upstream.Url, args);

        await ProtectAsync(a, ("novel-1", Document(11, 3000)));

        Assert.True(await EventuallyAsync(async () => (await CorpusAsync(b)).GetProperty("text").GetProperty("documents").GetInt32() == 1));
        var db = redis.Connection.GetDatabase();
        var head = await db.HashGetAllAsync($"{prefix}:memo:text");
        var fields = head.ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        output.WriteLine(string.Join(", ", fields.Select(f => $"{f.Key}={f.Value}")));
        Assert.StartsWith("1-", fields["snapshot"]);
        Assert.Equal("2", fields["bloom_chunks"]); // 1.94 MB of Bloom bits in 1 MiB chunks
        Assert.True(await db.KeyExistsAsync($"{prefix}:memo:text:{fields["snapshot"]}:c1"));
        Assert.Equal(1_048_576, await db.StringLengthAsync($"{prefix}:memo:text:{fields["snapshot"]}:c0"));
        Assert.True(await db.SetContainsAsync($"{prefix}:memo:text:ids", "novel-1"));
        var bCorpus = (await CorpusAsync(b)).GetProperty("text");
        var aCorpus = (await CorpusAsync(a)).GetProperty("text");
        Assert.Equal(aCorpus.GetProperty("ngrams").GetInt64(), bCorpus.GetProperty("ngrams").GetInt64());
        Assert.Equal(long.Parse(fields["bytes"]), bCorpus.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task ConcurrentAddsOnTwoReplicas_NoDocumentLost_OldSnapshotExpires()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var a = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));
        await using var b = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ProtectAsync(i % 2 == 0 ? a : b, ($"doc-{i}", Document(100 + i, 1500)))));

        var db = redis.Connection.GetDatabase();
        Assert.Equal(6, await db.SetLengthAsync($"{prefix}:memo:text:ids"));
        Assert.Equal("6", (string?)await db.HashGetAsync($"{prefix}:memo:text", "documents"));
        Assert.True(await EventuallyAsync(async () =>
            (await CorpusAsync(a)).GetProperty("text").GetProperty("documents").GetInt32() == 6
            && (await CorpusAsync(b)).GetProperty("text").GetProperty("documents").GetInt32() == 6));
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var headers = server.Keys(pattern: $"{prefix}:memo:text:*:h").ToList();
        var current = (string)(await db.HashGetAsync($"{prefix}:memo:text", "snapshot"))!;
        foreach (var header in headers.Where(h => !((string)h!).Contains(":" + current + ":", StringComparison.Ordinal)))
        {
            var ttl = await db.KeyTimeToLiveAsync(header);
            Assert.True(ttl is { TotalSeconds: > 0 and <= 60 }, $"{header}: {ttl}");
        }

        Assert.Null(await db.KeyTimeToLiveAsync($"{prefix}:memo:text:{current}:h"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task StoredEarlierFormatSnapshot_LoadedByConversion_NextAddStoresFormat3(byte format)
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using (var old = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix)))
        {
            await ProtectAsync(old, ("novel-1", Document(13, 3000)));
        }

        // Mark the stored snapshot as an earlier layout (1 unblocked, 2 blocked), as a replica of a previous version wrote it.
        var db = redis.Connection.GetDatabase();
        var snapshot = (string)(await db.HashGetAsync($"{prefix}:memo:text", "snapshot"))!;
        var header = (byte[])(await db.StringGetAsync($"{prefix}:memo:text:{snapshot}:h"))!;
        Assert.Equal(3, BitConverter.ToUInt16(header, 4));
        header[4] = format;
        await db.StringSetAsync($"{prefix}:memo:text:{snapshot}:h", header);

        await using var late = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));
        Assert.Equal(1, (await CorpusAsync(late)).GetProperty("text").GetProperty("documents").GetInt32());
        await ProtectAsync(late, ("novel-2", Document(14, 3000)));

        var stored = (string)(await db.HashGetAsync($"{prefix}:memo:text", "snapshot"))!;
        Assert.NotEqual(snapshot, stored);
        Assert.Equal(3, BitConverter.ToUInt16((byte[])(await db.StringGetAsync($"{prefix}:memo:text:{stored}:h"))!, 4));
        Assert.Equal(2, (await CorpusAsync(late)).GetProperty("text").GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task Images_AddOnOneReplica_OtherReloads_StartupLoadsExistingCorpus()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var a = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));
        await using var b = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));

        var response = await a.Admin.PostAsJsonAsync("/admin/protected/images", new { images = new[] { new { id = "art-1", image_b64 = Convert.ToBase64String(Picture(7)) } } });
        response.EnsureSuccessStatusCode();
        await ProtectAsync(a, ("novel-1", Document(12, 1000)));

        Assert.True(await EventuallyAsync(async () => (await CorpusAsync(b)).GetProperty("images").GetProperty("count").GetInt32() == 1));
        await using var late = await GatewayHost.StartAsync(upstream.Url, RedisArgs(redis, prefix));
        var corpus = await CorpusAsync(late);
        Assert.Equal(1, corpus.GetProperty("images").GetProperty("count").GetInt32());
        Assert.Equal(1, corpus.GetProperty("text").GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task BulkFolders_LoadedAtStartup_OnEveryReplicaWithoutDuplicates()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        var folder = Directory.CreateTempSubdirectory("memo-bulk-");
        var images = Directory.CreateTempSubdirectory("memo-bulk-images-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "alpha.txt"), Document(21, 1200));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "beta.txt"), Document(22, 1200));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "notes.md"), Document(23, 1200));
            await File.WriteAllBytesAsync(Path.Combine(images.FullName, "art.png"), Picture(5));
            await File.WriteAllBytesAsync(Path.Combine(images.FullName, "broken.png"), [1, 2, 3]);
            await File.WriteAllTextAsync(Path.Combine(images.FullName, "readme.txt"), "not an image");
            await using var upstream = await ScriptedUpstream.StartModelListAsync();
            string[] args = RedisArgs(redis, prefix, $"--GenSafety:Memorization:BulkTextPath={folder.FullName}", $"--GenSafety:Memorization:BulkImagesPath={images.FullName}");
            await using var a = await GatewayHost.StartAsync(upstream.Url, args);
            await using var b = await GatewayHost.StartAsync(upstream.Url, args);

            foreach (var gateway in new[] { a, b })
            {
                var corpus = await CorpusAsync(gateway);
                Assert.Equal(2, corpus.GetProperty("text").GetProperty("documents").GetInt32());
                Assert.Equal(1, corpus.GetProperty("images").GetProperty("count").GetInt32());
            }

            var db = redis.Connection.GetDatabase();
            Assert.Equal(2, await db.SetLengthAsync($"{prefix}:memo:text:ids"));
            Assert.Equal("1", (string?)await db.StringGetAsync($"{prefix}:memo:images:version"));
        }
        finally
        {
            folder.Delete(recursive: true);
            images.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RedisDownAtStartup_FoldersLoadedAndChangesFollowedOnceItIsBack()
    {
        await using var server = await RedisServerProcess.StartNewAsync();
        await server.StopAsync();
        var folder = Directory.CreateTempSubdirectory("memo-bulk-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "alpha.txt"), Document(31, 1200));
            await using var upstream = await ScriptedUpstream.StartModelListAsync();
            string[] args =
            [
                .. GatewayArgs, $"--GenSafety:Redis:ConnectionString={server.EndPoint}", "--GenSafety:Memorization:ReloadCheckInterval=00:00:00.200",
                $"--GenSafety:Memorization:BulkTextPath={folder.FullName}", "--Logging:LogLevel:Default=None",
            ];
            await using var a = await GatewayHost.StartAsync(upstream.Url, args);
            Assert.Equal(0, (await CorpusAsync(a)).GetProperty("text").GetProperty("documents").GetInt32());

            await server.StartAsync();

            Assert.True(await EventuallyAsync(async () => (await CorpusAsync(a)).GetProperty("text").GetProperty("documents").GetInt32() == 1));
            await using var b = await GatewayHost.StartAsync(upstream.Url, args);
            await ProtectAsync(b, ("beta", Document(32, 1200)));
            Assert.True(await EventuallyAsync(async () => (await CorpusAsync(a)).GetProperty("text").GetProperty("documents").GetInt32() == 2));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EmptyBulkFolders_NothingAdded_StoreStaysHealthy()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        var empty = Directory.CreateTempSubdirectory("memo-empty-");
        try
        {
            await using var upstream = await ScriptedUpstream.StartModelListAsync();
            await using var gateway = await GatewayHost.StartAsync(upstream.Url,
                RedisArgs(redis, prefix, $"--GenSafety:Memorization:BulkTextPath={empty.FullName}", $"--GenSafety:Memorization:BulkImagesPath={empty.FullName}"));

            var corpus = await CorpusAsync(gateway);
            await ProtectAsync(gateway, ("after", Document(33, 1000)));

            Assert.Equal(0, corpus.GetProperty("text").GetProperty("documents").GetInt32());
            Assert.Equal(1, (await CorpusAsync(gateway)).GetProperty("text").GetProperty("documents").GetInt32());
            Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync($"{prefix}:memo:images:version"));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
