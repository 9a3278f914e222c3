using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Generation;

/// <summary>What both generators share: one request sent with every transport failure turned into an outcome, and recording it.</summary>
internal static class RequestSender
{
    /// <summary>
    /// Sends one request. Failures at the transport (timeout, refused, reset, a broken response) come back as failed
    /// outcomes; only a cancellation of <paramref name="abort"/> propagates.
    /// </summary>
    public static async Task<RequestOutcome> SendAsync(
        HttpMessageInvoker client, IScenario scenario, LoadTarget target, ReadBuffer buffer, CancellationToken timeout, CancellationToken abort)
    {
        try
        {
            return await scenario.SendAsync(client, target, buffer, timeout);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return RequestOutcome.Failed("timeout", transport: true);
        }
        catch (HttpRequestException ex)
        {
            return RequestOutcome.Failed($"transport: {ex.HttpRequestError}", transport: true);
        }
        catch (IOException ex)
        {
            return RequestOutcome.Failed($"io: {ex.GetType().Name}", transport: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or ObjectDisposedException)
        {
            // Anything else a broken response can raise is counted, never fatal to the run.
            return RequestOutcome.Failed($"exception: {ex.GetType().Name}", transport: true);
        }
    }

    /// <summary>Records an outcome: latency from <paramref name="start"/> to <paramref name="end"/> (Stopwatch timestamps).</summary>
    public static void Record(SliceResult result, RequestOutcome outcome, long start, long end)
    {
        if (!outcome.Success)
        {
            result.RecordError(outcome.Error!);
            return;
        }

        var firstToken = outcome.FirstTokenTimestamp == 0 ? 0 : LatencyHistograms.ToMicros(start, outcome.FirstTokenTimestamp);
        result.RecordSuccess(LatencyHistograms.ToMicros(start, end), firstToken);
    }
}
