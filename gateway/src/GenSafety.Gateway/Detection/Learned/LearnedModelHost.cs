using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Detection.Fusion;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// Holds the learned scorer's model when <c>GenSafety:Detection:Fusion</c> is <c>learned</c>: loads it at start
/// (<see cref="LearnedScorerOptions.ModelPath"/>, or the model built into the gateway), failing the start with the
/// reason when it is unusable; then checks the file every <see cref="LearnedScorerOptions.ReloadInterval"/> and loads
/// a changed one. A changed file that cannot be used is refused (logged, counted, shown in <c>/readyz</c>) and the
/// model in use stays.
/// </summary>
public sealed class LearnedModelHost : IHostedService, IDisposable
{
    /// <summary>Name of the model built into the gateway (an embedded resource).</summary>
    public const string EmbeddedResource = "GenSafety.Gateway.Detection.Learned.learned-scorer.onnx";

    private readonly LearnedScorerOptions _options;
    private readonly bool _selected;
    private readonly LearnedScorerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<LearnedModelHost> _logger;
    private readonly Lock _lock = new();
    private LearnedModel? _model;
    private DateTimeOffset _loadedAt;
    private string? _lastError;
    private (DateTime Written, long Length) _seen;
    private ITimer? _timer;
    private int _checking;

    /// <summary>Creates the host; it loads nothing until started.</summary>
    public LearnedModelHost(
        IOptions<LearnedScorerOptions> options, IOptions<DetectionOptions> detection, LearnedScorerMetrics metrics, TimeProvider time, ILogger<LearnedModelHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options.Value;
        _selected = detection.Value.Enabled && detection.Value.Fusion == RiskFusionNames.Learned;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.Track(Status);
    }

    /// <summary>The model in use, or null before start or when the learned scorer is not selected.</summary>
    public LearnedScorerStatus? Status()
    {
        lock (_lock)
        {
            return _model is not { } m ? null
                : new LearnedScorerStatus(m.Version, m.Sha256, m.Source, m.ExecutionProvider, m.Window, _loadedAt, _lastError);
        }
    }

    /// <summary>
    /// Runs <paramref name="score"/> with the model in use; a reload waits until it returns, so a model is never
    /// disposed under a running batch.
    /// </summary>
    /// <exception cref="InvalidOperationException">No model is loaded (the host was not started).</exception>
    public T Use<T>(Func<LearnedModel, T> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        lock (_lock)
        {
            return score(_model ?? throw new InvalidOperationException("The learned scorer has no model: the host was not started."));
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_selected)
        {
            return Task.CompletedTask;
        }

        var path = _options.ModelPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            Swap(Load(ReadEmbedded(), "embedded"));
            return Task.CompletedTask;
        }

        _seen = Stamp(path);
        Swap(Load(File.ReadAllBytes(path), path));
        _timer = _time.CreateTimer(_ => CheckFile(path), null, _options.ReloadInterval, _options.ReloadInterval);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Loads <paramref name="path"/> now if it changed since the last look; returns whether a new model is in use.
    /// A file that cannot be read or used is refused and the model in use stays. Returns false at once while another
    /// check runs.
    /// </summary>
    public bool CheckFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Timer callbacks may overlap when a load outlasts the interval: one check at a time.
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return false;
        }

        try
        {
            var stamp = Stamp(path);
            if (stamp == _seen)
            {
                return false;
            }

            _seen = stamp;
            var bytes = File.ReadAllBytes(path);
            var model = Load(bytes, path);
            if (Status() is { } current && current.Sha256 == model.Sha256)
            {
                model.Dispose();
                return false;
            }

            Swap(model);
            return true;
        }
        catch (Exception ex) when (ex is LearnedModelException or IOException or UnauthorizedAccessException)
        {
            string version;
            lock (_lock)
            {
                _lastError = ex.Message;
                version = _model?.Version ?? "(none)";
            }

            _metrics.Reload(loaded: false);
            LearnedScorerLog.Refused(_logger, path, version, ex.Message);
            return false;
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _model?.Dispose();
            _model = null;
        }
    }

    /// <summary>Reads the model built into the gateway.</summary>
    public static byte[] ReadEmbedded()
    {
        using var stream = typeof(LearnedModelHost).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new LearnedModelException($"the gateway has no built-in learned-scorer model ({EmbeddedResource}); set {LearnedScorerOptions.SectionName}:ModelPath.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private LearnedModel Load(byte[] bytes, string source)
    {
        var settings = new OnnxSessionSettings(_options.Provider, _options.CudaDeviceId, _options.IntraOpNumThreads);
        return LearnedModel.Load(bytes, source, settings, reason => LearnedScorerLog.CudaNotAvailable(_logger, reason));
    }

    private void Swap(LearnedModel model)
    {
        lock (_lock)
        {
            _model?.Dispose();
            _model = model;
            _loadedAt = _time.GetUtcNow();
            _lastError = null;
        }

        _metrics.Reload(loaded: true);
        LearnedScorerLog.Loaded(_logger, model.Version, model.Source, model.Sha256, model.Window, model.ExecutionProvider);
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}

/// <summary>The learned scorer's model as <c>/readyz</c> shows it.</summary>
/// <param name="Version">Model version (its metadata).</param>
/// <param name="Sha256">SHA-256 of the model file.</param>
/// <param name="Source">Its path, or <c>embedded</c>.</param>
/// <param name="ExecutionProvider">ONNX Runtime's provider (<c>CPU</c>/<c>CUDA</c>).</param>
/// <param name="Window">Steps per window.</param>
/// <param name="LoadedAt">When it was loaded.</param>
/// <param name="LastError">Why the latest changed file was refused, if it was (the model above stays in use).</param>
public sealed record LearnedScorerStatus(
    string Version, string Sha256, string Source, string ExecutionProvider, int Window, DateTimeOffset LoadedAt, string? LastError);
