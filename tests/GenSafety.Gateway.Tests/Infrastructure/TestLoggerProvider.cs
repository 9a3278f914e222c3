using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GenSafety.Gateway.Tests.Infrastructure;

/// <summary>Collects every log entry written through it, for assertions on what was logged.</summary>
public sealed class TestLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<TestLogEntry> _entries = new();

    /// <summary>Entries in the order written.</summary>
    public IReadOnlyList<TestLogEntry> Entries => [.. _entries];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<TestLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new TestLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

/// <summary>One collected log entry.</summary>
public sealed record TestLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
