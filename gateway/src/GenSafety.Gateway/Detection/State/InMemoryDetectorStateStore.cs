using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.State;

/// <summary>
/// <see cref="IDetectorStateStore"/> in process memory, for a gateway without Redis (single instance): the same
/// versions, conflicts, bitmap merging and counting, and TTLs as <see cref="RedisDetectorStateStore"/>. Expired states are
/// swept every few thousand writes.
/// </summary>
internal sealed class InMemoryDetectorStateStore : IDetectorStateStore
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<DetectorStateKey, Slot> _slots = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private int _writes;

    public InMemoryDetectorStateStore(IOptions<DetectionOptions> options, TimeProvider time)
    {
        _ttl = options.Value.StateTtl;
        _time = time;
    }

    public ValueTask<DetectorStateEntry[]> ReadAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var entries = new DetectorStateEntry[keys.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = DetectorStateEntry.Missing;
            if (_slots.TryGetValue(keys[i], out var slot))
            {
                lock (slot)
                {
                    if (slot.ExpiresAt > now)
                    {
                        entries[i] = new DetectorStateEntry(true, slot.Version, (byte[])slot.Data.Clone());
                    }
                }
            }
        }

        return ValueTask.FromResult(entries);
    }

    public ValueTask<DetectorWriteResult> WriteAsync(IReadOnlyList<DetectorStateWrite> writes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var conflicts = new List<int>();
        var setBits = new long[]?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            if (writes[i].Key.Mode == DetectorStateMode.BitwiseOr)
            {
                setBits[i] = Or(writes[i], now);
            }
            else if (!Replace(writes[i], now))
            {
                conflicts.Add(i);
            }
        }

        if (Interlocked.Add(ref _writes, writes.Count) >= SweepEvery)
        {
            Interlocked.Exchange(ref _writes, 0);
            Sweep(now);
        }

        return ValueTask.FromResult(new DetectorWriteResult(conflicts, setBits));
    }

    private long[] Or(DetectorStateWrite write, DateTimeOffset now)
    {
        var slot = _slots.GetOrAdd(write.Key, static _ => new Slot());
        lock (slot)
        {
            var merged = slot.ExpiresAt > now ? slot.Data : [];
            if (write.Data.AsSpan().ContainsAnyExcept((byte)0))
            {
                if (write.Data.Length > merged.Length)
                {
                    Array.Resize(ref merged, write.Data.Length);
                }

                for (var b = 0; b < write.Data.Length; b++)
                {
                    merged[b] |= write.Data[b];
                }

                (slot.Data, slot.ExpiresAt) = (merged, now + _ttl);
            }

            var counts = new long[write.Regions];
            for (var r = 0; r < counts.Length; r++)
            {
                for (var b = r * write.RegionBytes; b < Math.Min((r + 1) * write.RegionBytes, merged.Length); b++)
                {
                    counts[r] += BitOperations.PopCount(merged[b]);
                }
            }

            return counts;
        }
    }

    public ValueTask DeleteAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            _slots.TryRemove(key, out _);
        }

        return ValueTask.CompletedTask;
    }

    private bool Replace(DetectorStateWrite write, DateTimeOffset now)
    {
        var slot = _slots.GetOrAdd(write.Key, static _ => new Slot());
        lock (slot)
        {
            var exists = slot.ExpiresAt > now;
            if (exists != write.Read.Exists || (exists && slot.Version != write.Read.Version))
            {
                return false;
            }

            (slot.Data, slot.Version, slot.ExpiresAt) = ((byte[])write.Data.Clone(), exists ? slot.Version + 1 : 1, now + _ttl);
            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, slot) in _slots)
        {
            lock (slot)
            {
                if (slot.ExpiresAt <= now)
                {
                    _slots.TryRemove(KeyValuePair.Create(key, slot));
                }
            }
        }
    }

    private sealed class Slot
    {
        public byte[] Data = [];
        public uint Version;
        public DateTimeOffset ExpiresAt;
    }
}
