using System.Runtime.InteropServices;

namespace GenSafety.LoadTests.Cli;

/// <summary>
/// Ctrl+C, SIGTERM and SIGHUP cancel <see cref="Token"/> instead of ending the process at once, so that a command
/// can stop its child processes and flush what it wrote. Shared by the load-test and traffic commands.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM), Register(PosixSignal.SIGHUP)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        _cancel.Cancel();
    });
}
