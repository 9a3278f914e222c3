namespace GenSafety.LoadTests.Scenarios;

/// <summary>One kind of request a worker sends back to back.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>Whether outcomes carry a first-token time (streaming).</summary>
    bool MeasuresFirstToken { get; }

    /// <summary>Sends one request and reads the whole response. <paramref name="buffer"/> is the worker's own.</summary>
    Task<RequestOutcome> SendAsync(HttpMessageInvoker client, LoadTarget target, ReadBuffer buffer, CancellationToken cancellationToken);
}

/// <summary>A worker-owned read buffer that may grow (long SSE lines).</summary>
internal sealed class ReadBuffer
{
    public byte[] Bytes { get; set; } = new byte[16 * 1024];
}
