namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>
/// Loads the tenants' window-MMD references at start (<see cref="WindowMmdReferences.LoadAsync"/>), before the gateway
/// serves, when the detector is enabled; a reference that cannot be used fails the start with its reason.
/// </summary>
internal sealed class WindowMmdReferenceLoader(
    EnabledDetectors detectors, WindowMmdReferences references, DetectionEmbedders embedders, ILogger<WindowMmdReferenceLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!detectors.Active.Any(a => a.Detector.Name == WindowMmdQueryDetector.DetectorName))
        {
            return;
        }

        foreach (var (tenant, prompts, streams, dimensions, threshold) in await references.LoadAsync(t => embedders.Resolve(embedders.NameFor(t)), cancellationToken))
        {
            DetectionLog.ReferenceLoaded(logger, tenant, prompts, streams, dimensions, threshold);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
