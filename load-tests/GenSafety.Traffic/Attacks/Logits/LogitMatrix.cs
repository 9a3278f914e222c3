using GenSafety.Traffic.Linear;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>
/// What a logit-extraction attacker has learnt: for each prompt (row) and token (column), the token's logit up to
/// a constant of that row. Column 0 is the reference token, biased in every query; subtracting it removes the
/// row constants and leaves z_t − z_ref = (w_t − w_ref)·h, a matrix of rank d (the hidden size). Thread-safe.
/// </summary>
public sealed class LogitMatrix(int rows, int columns)
{
    private readonly Dictionary<(int Row, int Column), double> _cells = [];
    private readonly Lock _lock = new();

    /// <summary>Prompts planned.</summary>
    public int Rows { get; } = rows;

    /// <summary>Tokens, the reference (column 0) included.</summary>
    public int Columns { get; } = columns;

    /// <summary>Cells learnt so far.</summary>
    public int Filled
    {
        get
        {
            lock (_lock)
            {
                return _cells.Count;
            }
        }
    }

    /// <summary>Records the (row-shifted) logit of token <paramref name="column"/> after prompt <paramref name="row"/>.</summary>
    public void Set(int row, int column, double value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)Columns, nameof(column));
        lock (_lock)
        {
            _cells[(row, column)] = value;
        }
    }

    /// <summary>
    /// The largest simple complete block: columns (other than the reference) known in at least
    /// <paramref name="minColumnCoverage"/> of the rows that know the reference, then the rows that know all of those
    /// columns, each value minus the row's reference value, repeated rows (equal to 10⁻⁴ relative) kept once.
    /// </summary>
    public List<double[]> CompleteRows(double minColumnCoverage = 0.9)
    {
        lock (_lock)
        {
            var rows = Enumerable.Range(0, Rows).Where(r => _cells.ContainsKey((r, 0))).ToList();
            var columns = Enumerable.Range(1, Columns - 1)
                .Where(c => rows.Count > 0 && rows.Count(r => _cells.ContainsKey((r, c))) >= minColumnCoverage * rows.Count)
                .ToList();
            var result = new List<double[]>();
            foreach (var row in rows)
            {
                if (columns.TrueForAll(c => _cells.ContainsKey((row, c))))
                {
                    var reference = _cells[(row, 0)];
                    double[] values = [.. columns.Select(c => _cells[(row, c)] - reference)];
                    if (!result.Exists(r => SameRow(r, values)))
                    {
                        result.Add(values);
                    }
                }
            }

            return result;
        }
    }

    // Two prompts can end in the same model state (an n-gram model backs off to the same context; a transformer
    // rarely does): their rows are equal up to rounding and add no dimension, so only one is kept.
    private static bool SameRow(double[] a, double[] b)
    {
        var scale = 0.0;
        var diff = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i]));
            diff = Math.Max(diff, Math.Abs(a[i] - b[i]));
        }

        return diff <= 1e-4 * Math.Max(scale, 1e-12);
    }

    /// <summary>The hidden size the complete block shows.</summary>
    public HiddenSizeEstimate Estimate(double threshold = HiddenSizeEstimate.DefaultThreshold) => HiddenSizeEstimate.FromRows(CompleteRows(), threshold);
}
