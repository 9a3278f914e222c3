using System.Numerics;

namespace GenSafety.Detectors.Coverage;

/// <summary>
/// One client's B4B coverage of the embedding space: which of the 4096 buckets of each of the 20 projections of a
/// <see cref="B4BProjection"/> its vectors have hit. <see cref="Coverage"/> is the fraction of buckets hit averaged
/// over the projections (B4B's c/100): near 0 for a client that stays inside one topic, growing quickly for a
/// client that sweeps the space, as extraction attacks do.
/// The state is <see cref="StateSize"/> bytes (20 bitmaps of 4096 bits, 10 KiB). Bit layout as Redis orders bits,
/// so the state can be stored as one Redis string and updated with <c>SETBIT</c>/<c>BITFIELD</c>: bucket b of
/// projection p is bit offset <c>p·4096 + b</c>, i.e. byte <c>offset / 8</c>, mask <c>0x80 &gt;&gt; (offset % 8)</c>.
/// Not thread-safe: one instance per client, updated by one consumer at a time.
/// </summary>
public sealed class B4BCoverage
{
    /// <summary>Bytes of one projection's bitmap: 4096 bits.</summary>
    public const int BytesPerProjection = B4BProjection.BucketsPerProjection / 8;

    /// <summary>Bytes of the whole state: 20 × 512 = 10,240.</summary>
    public const int StateSize = B4BProjection.ProjectionCount * BytesPerProjection;

    private const int TotalBuckets = B4BProjection.ProjectionCount * B4BProjection.BucketsPerProjection;

    private readonly byte[] _state;
    private int _bucketsHit;

    /// <summary>An empty state (nothing observed) over <paramref name="projection"/>.</summary>
    public B4BCoverage(B4BProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        Projection = projection;
        _state = new byte[StateSize];
    }

    /// <summary>A state restored from <paramref name="state"/> (the bytes of <see cref="State"/> or <see cref="ToArray"/>).</summary>
    public B4BCoverage(B4BProjection projection, ReadOnlySpan<byte> state)
        : this(projection)
    {
        CheckSize(state);
        state.CopyTo(_state);
        _bucketsHit = PopCount(_state);
    }

    /// <summary>The projection whose buckets this state records.</summary>
    public B4BProjection Projection { get; }

    /// <summary>Buckets hit, over all projections (0 to 81,920).</summary>
    public int BucketsHit => _bucketsHit;

    /// <summary>Mean fraction of buckets hit per projection, in [0, 1].</summary>
    public double Coverage => (double)_bucketsHit / TotalBuckets;

    /// <summary>The bitmaps, for storing (see the class remarks for the layout).</summary>
    public ReadOnlySpan<byte> State => _state;

    /// <summary>Records the buckets of <paramref name="vector"/>; true when it hit at least one bucket not hit before.</summary>
    public bool Observe(ReadOnlySpan<float> vector)
    {
        Span<int> buckets = stackalloc int[B4BProjection.ProjectionCount];
        Projection.ComputeBuckets(vector, buckets);
        var before = _bucketsHit;
        for (var p = 0; p < buckets.Length; p++)
        {
            var offset = (p * B4BProjection.BucketsPerProjection) + buckets[p];
            var mask = (byte)(0x80 >> (offset & 7));
            ref var cell = ref _state[offset >> 3];
            if ((cell & mask) == 0)
            {
                cell |= mask;
                _bucketsHit++;
            }
        }

        return _bucketsHit > before;
    }

    /// <summary>
    /// Adds every bucket of <paramref name="state"/> (another client's state over the same projection): the coverage
    /// of the union, as for a cluster of linked (sybil) clients. True when it added a bucket.
    /// </summary>
    public bool UnionWith(ReadOnlySpan<byte> state)
    {
        CheckSize(state);
        var before = _bucketsHit;
        for (var i = 0; i < _state.Length; i++)
        {
            _state[i] |= state[i];
        }

        _bucketsHit = PopCount(_state);
        return _bucketsHit > before;
    }

    /// <summary>Adds every bucket of <paramref name="other"/>, which must use the same projection.</summary>
    public bool UnionWith(B4BCoverage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Projection.Dimensions != Projection.Dimensions || other.Projection.Seed != Projection.Seed)
        {
            throw new ArgumentException("Both states must use the same projection (dimensions and seed).", nameof(other));
        }

        return UnionWith(other.State);
    }

    /// <summary>A copy of the state.</summary>
    public byte[] ToArray() => (byte[])_state.Clone();

    private static void CheckSize(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException($"A B4B coverage state is {StateSize} bytes; got {state.Length}.", nameof(state));
        }
    }

    private static int PopCount(byte[] state)
    {
        var count = 0;
        for (var i = 0; i < state.Length; i += sizeof(ulong))
        {
            count += BitOperations.PopCount(BitConverter.ToUInt64(state, i));
        }

        return count;
    }
}
