using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// The replica-wide budget of dataset-inference requests to the upstream: a token bucket (requests per second) and a
/// concurrency limit, so inference jobs never crowd out the traffic the gateway exists to serve.
/// </summary>
internal sealed class UpstreamRequestBudget : IDisposable
{
    private readonly TokenBucketRateLimiter _rate;
    private readonly SemaphoreSlim _concurrency;

    public UpstreamRequestBudget(IOptions<DatasetInferenceServiceOptions> options)
    {
        var value = options.Value;
        var perPeriod = Math.Max(1, (int)Math.Ceiling(value.RequestsPerSecond / 10));
        _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / value.RequestsPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        _concurrency = new SemaphoreSlim(value.MaxConcurrentRequests);
    }

    /// <summary>Waits for a request slot; dispose the result when the request is done.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        using (var lease = await _rate.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("The upstream request budget refused a request.");
            }
        }

        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_concurrency);
    }

    public void Dispose()
    {
        _rate.Dispose();
        _concurrency.Dispose();
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
