using StackExchange.Redis;

namespace GenSafety.Gateway.State;

/// <summary>Builds the one <see cref="IConnectionMultiplexer"/> of the process from <see cref="StateStoreOptions"/>.</summary>
internal static class RedisConnectionFactory
{
    /// <summary>
    /// Parses the connection string and applies the gateway's rules on top of it: start even when Redis is
    /// down and reconnect in the background; bound every operation by <see cref="StateStoreOptions.OperationTimeout"/>;
    /// fail fast while disconnected instead of queueing (the caller's failure mode decides, without waiting).
    /// </summary>
    public static ConfigurationOptions CreateConfiguration(StateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.UsesRedis)
        {
            throw new InvalidOperationException($"{StateStoreOptions.SectionName}:ConnectionString is not set; state is kept in memory.");
        }

        ConfigurationOptions configuration = ConfigurationOptions.Parse(options.ConnectionString!);
        int operationMs = ToMilliseconds(options.OperationTimeout);
        configuration.AbortOnConnectFail = false;
        configuration.SyncTimeout = operationMs;
        configuration.AsyncTimeout = operationMs;
        configuration.ConnectTimeout = ToMilliseconds(options.ConnectTimeout);
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Retry soon after a drop (Redis restarts are short), backing off to at most 5 s.
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        configuration.ClientName ??= "gensafety-gateway";
        return configuration;
    }

    /// <summary>Connects (returning even when Redis is unreachable) and logs connection failures and recoveries.</summary>
    public static IConnectionMultiplexer Connect(StateStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ConfigurationOptions configuration = CreateConfiguration(options);
        StateLog.RedisConnecting(logger, configuration.EndPoints, options.KeyPrefix);
        ConnectionMultiplexer multiplexer = ConnectionMultiplexer.Connect(configuration);
        var transitions = new ConnectionTransitions(logger);
        multiplexer.ConnectionFailed += transitions.OnFailed;
        multiplexer.ConnectionRestored += transitions.OnRestored;
        return multiplexer;
    }

    // Logs the first failure of an outage and its end, not every background reconnect attempt.
    private sealed class ConnectionTransitions(ILogger logger)
    {
        private int _down;

        public void OnFailed(object? sender, ConnectionFailedEventArgs e)
        {
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                StateLog.RedisConnectionFailed(logger, e.EndPoint, e.FailureType, e.Exception);
            }
        }

        public void OnRestored(object? sender, ConnectionFailedEventArgs e)
        {
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                StateLog.RedisConnectionRestored(logger, e.EndPoint);
            }
        }
    }

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
