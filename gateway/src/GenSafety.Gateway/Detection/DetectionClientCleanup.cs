using GenSafety.Gateway.Detection.State;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Deletes what the detection pipeline keeps about one client when an admin deletes the client: the state of every
/// registered detector (enabled or not, so an earlier configuration's state goes too) and whatever the registered
/// <see cref="IClientDetectionData"/> keep (sybil linking's activity entry and network record).
/// </summary>
public sealed class DetectionClientCleanup(IEnumerable<IQueryDetector> detectors, IEnumerable<IClientDetectionData> data, IDetectorStateStore store)
{
    /// <summary>Deletes the client's detection data; <see cref="GenSafety.Gateway.State.StateStoreUnavailableException"/> when the store fails.</summary>
    public async Task DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        await store.DeleteAsync([.. detectors.Select(d => new DetectorStateKey(tenant, clientId, d.Name, d.Descriptor.StateMode))], cancellationToken);
        foreach (var item in data)
        {
            await item.DeleteAsync(tenant, clientId, cancellationToken);
        }
    }
}

/// <summary>Per-client data a detection component keeps outside the detector states, deleted with the client.</summary>
public interface IClientDetectionData
{
    /// <summary>Deletes what is kept about the client.</summary>
    Task DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken);
}
