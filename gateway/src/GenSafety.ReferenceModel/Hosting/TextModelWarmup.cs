using GenSafety.ReferenceModel.Completions;

namespace GenSafety.ReferenceModel.Hosting;

/// <summary>Trains (or fetches the process-wide copy of) the text model when the host starts, not on the first request.</summary>
internal sealed class TextModelWarmup : IHostedService
{
    private readonly TextModelService _text;

    public TextModelWarmup(TextModelService text) => _text = text;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _text.Model;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
