namespace GenSafety.Gateway.State;

/// <summary>
/// Creates the store when the host starts rather than on the first request: the Redis connection is
/// opened (or its background retries begin) and the in-memory warning is logged at start-up.
/// </summary>
internal sealed class StateStoreWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService(typeof(IClientStateStore));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
