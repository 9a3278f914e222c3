namespace GenSafety.Traffic.Api;

/// <summary>An API client the generator sends as: the gateway client id and its key.</summary>
/// <param name="Id">Client id (as created through the admin API, or as supplied).</param>
/// <param name="ApiKey">Bearer key.</param>
public sealed record TrafficClient(string Id, string ApiKey);

/// <summary>Sends a request as a client and reports what came back. Implementations are thread-safe.</summary>
public interface ITrafficTransport
{
    /// <summary>Sends <paramref name="request"/> with <paramref name="client"/>'s key; never throws for HTTP or transport failures (they become the response's status and error code).</summary>
    Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken);
}
