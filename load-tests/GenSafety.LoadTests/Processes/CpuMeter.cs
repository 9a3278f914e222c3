using GenSafety.LoadTests.Generation;

namespace GenSafety.LoadTests.Processes;

/// <summary>
/// Adds up the CPU time each watched process spends inside measured windows (read when a window
/// opens and when it closes), over any number of windows.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> processes) : IWindowProbe
{
    private readonly Dictionary<string, TimeSpan> _atOpen = [];

    public Dictionary<string, TimeSpan> Totals { get; } = processes.Keys.ToDictionary(k => k, _ => TimeSpan.Zero);

    public void OnWindowOpened()
    {
        foreach (var (role, pid) in processes)
        {
            _atOpen[role] = ProcessCpuTime.Read(pid);
        }
    }

    public void OnWindowClosed()
    {
        foreach (var (role, pid) in processes)
        {
            Totals[role] += ProcessCpuTime.Read(pid) - _atOpen[role];
        }
    }
}
