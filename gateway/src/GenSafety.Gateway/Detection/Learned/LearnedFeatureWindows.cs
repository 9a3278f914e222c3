using GenSafety.Gateway.Detection.Fusion;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// Each client's last <see cref="MaxWindow"/> feature steps (<see cref="LearnedFeatures"/>: one per request), oldest
/// first, for the learned scorer's sequence model, with the prompt hashes and time of its last requests. Held in
/// this replica's memory for at most <c>maxClients</c> clients (the least recently seen are dropped first): with several replicas each sees the steps of the micro-batches it processed, an
/// approximation of the client's whole stream that is exact with one replica or client-affine routing.
/// </summary>
public sealed class LearnedFeatureWindows
{
    /// <summary>Most steps a window keeps (and the longest window a model may ask for).</summary>
    public const int MaxWindow = 16;

    private readonly Dictionary<(string Tenant, string Client), ClientWindow> _windows = [];
    private readonly int _maxClients;
    private readonly Lock _lock = new();
    private long _clock;

    /// <summary>Creates the windows for at most <paramref name="maxClients"/> clients.</summary>
    public LearnedFeatureWindows(int maxClients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClients, 1);
        _maxClients = maxClients;
    }

    /// <summary>Clients with a window.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>
    /// Appends a step per request of <paramref name="input"/> (one step of scores alone when it has none) to its client's
    /// window and writes the last <paramref name="window"/> steps, oldest first and zero-padded in front, into
    /// <paramref name="destination"/> (window × features).
    /// </summary>
    public void Append(FusionInput input, int window, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, MaxWindow);
        var features = LearnedFeatures.Count;
        if (destination.Length != window * features)
        {
            throw new ArgumentException($"Expected {window * features} values, got {destination.Length}.", nameof(destination));
        }

        lock (_lock)
        {
            var key = (input.Tenant, input.ClientId);
            if (!_windows.TryGetValue(key, out var client))
            {
                if (_windows.Count >= _maxClients)
                {
                    EvictOldest();
                }

                client = new ClientWindow(features);
                _windows.Add(key, client);
            }

            client.LastSeen = ++_clock;
            if (input.Events.Count == 0)
            {
                LearnedFeatures.Step(input, null, client.PreviousAt, repeated: false, client.Next(0));
            }

            foreach (var queryEvent in input.Events)
            {
                var repeated = client.Seen(queryEvent.PromptHash);
                LearnedFeatures.Step(input, queryEvent, client.PreviousAt, repeated, client.Next(queryEvent.PromptHash));
                client.PreviousAt = queryEvent.At;
            }

            client.CopyLast(window, destination);
        }
    }

    // Drops the least recently seen tenth of the clients (one scan per tenth rather than one per new client).
    private void EvictOldest()
    {
        var drop = Math.Max(1, _maxClients / 10);
        foreach (var key in _windows.OrderBy(w => w.Value.LastSeen).Take(drop).Select(w => w.Key).ToList())
        {
            _windows.Remove(key);
        }
    }

    private sealed class ClientWindow(int features)
    {
        private readonly float[] _steps = new float[MaxWindow * features];
        private readonly ulong[] _hashes = new ulong[MaxWindow];
        private int _count;
        private int _next;

        public long LastSeen { get; set; }

        public DateTimeOffset? PreviousAt { get; set; }

        public bool Seen(ulong hash) => Array.IndexOf(_hashes, hash, 0, _count) >= 0;

        public Span<float> Next(ulong hash)
        {
            _hashes[_next] = hash;
            var step = _steps.AsSpan(_next * features, features);
            _next = (_next + 1) % MaxWindow;
            _count = Math.Min(_count + 1, MaxWindow);
            return step;
        }

        public void CopyLast(int window, Span<float> destination)
        {
            destination.Clear();
            var available = Math.Min(_count, window);
            for (var i = 0; i < available; i++)
            {
                // Step i of the last `available`, oldest first; the newest is at _next - 1.
                var slot = ((_next - available + i) % MaxWindow + MaxWindow) % MaxWindow;
                _steps.AsSpan(slot * features, features).CopyTo(destination.Slice((window - available + i) * features, features));
            }
        }
    }
}
