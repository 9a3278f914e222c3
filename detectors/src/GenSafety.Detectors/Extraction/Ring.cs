namespace GenSafety.Detectors.Extraction;

/// <summary>A fixed-capacity first-in-first-out ring; index 0 is the oldest item.</summary>
internal sealed class Ring<T>
    where T : struct
{
    private readonly T[] _items;
    private int _next;

    public Ring(int capacity) => _items = new T[capacity];

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == _items.Length;

    /// <summary>The <paramref name="index"/>-th oldest item.</summary>
    public ref T this[int index] => ref _items[IsFull ? (_next + index) % _items.Length : index];

    /// <summary>Appends <paramref name="item"/>; when full, the oldest item is dropped and returned in <paramref name="evicted"/>.</summary>
    public bool Add(T item, out T evicted)
    {
        var full = IsFull;
        evicted = full ? _items[_next] : default;
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
        if (!full)
        {
            Count++;
        }

        return full;
    }

    /// <summary>Appends <paramref name="item"/>, dropping the oldest when full.</summary>
    public void Add(T item) => Add(item, out _);
}
