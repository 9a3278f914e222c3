using System.Globalization;
using System.Security.Cryptography;
using GenSafety.Detectors.Embeddings;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// A loaded learned-scorer model: an ONNX graph from input <c>features</c> [batch, window, <see cref="LearnedFeatures.Count"/>]
/// to output <c>risk</c> [batch, 1] in [0, 1], whose metadata names its version, window and feature list. Loading
/// checks all of that and runs the model once, so an incompatible file is refused with the reason rather than
/// failing later. <see cref="Score"/> is thread-safe.
/// </summary>
public sealed class LearnedModel : IDisposable
{
    /// <summary>Input name.</summary>
    public const string InputName = "features";

    /// <summary>Output name.</summary>
    public const string OutputName = "risk";

    /// <summary>Metadata key of the model's version.</summary>
    public const string VersionKey = "gensafety.version";

    /// <summary>Metadata key of the comma-separated feature names (<see cref="LearnedFeatures.Names"/>).</summary>
    public const string FeaturesKey = "gensafety.features";

    /// <summary>Metadata key of the window length in steps.</summary>
    public const string WindowKey = "gensafety.window";

    private readonly InferenceSession _session;

    private LearnedModel(InferenceSession session, string version, int window, string sha256, string provider, string source)
    {
        _session = session;
        Version = version;
        Window = window;
        Sha256 = sha256;
        ExecutionProvider = provider;
        Source = source;
    }

    /// <summary>The model's version (its metadata).</summary>
    public string Version { get; }

    /// <summary>Steps per window.</summary>
    public int Window { get; }

    /// <summary>SHA-256 of the model file, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>ONNX Runtime's execution provider (<see cref="ExecutionProviderNames"/>).</summary>
    public string ExecutionProvider { get; }

    /// <summary>Where the model came from (a path, or <c>embedded</c>).</summary>
    public string Source { get; }

    /// <summary>
    /// Loads and checks <paramref name="bytes"/>. Throws <see cref="LearnedModelException"/> naming what is wrong when
    /// the bytes are not an ONNX model, or its inputs, outputs, metadata or a trial run do not match this gateway.
    /// </summary>
    public static LearnedModel Load(byte[] bytes, string source, OnnxSessionSettings settings, Action<string>? cudaUnavailable = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(settings);
        InferenceSession session;
        string provider;
        try
        {
            (session, provider) = OnnxSessionFactory.Create(settings, (options, _) => new InferenceSession(bytes, options), cudaUnavailable);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new LearnedModelException($"{source} is not a usable ONNX model: {ex.Message}", ex);
        }

        try
        {
            var window = Check(session, source);
            var version = session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(VersionKey) ?? string.Empty;
            var model = new LearnedModel(session, version, window, Convert.ToHexStringLower(SHA256.HashData(bytes)), provider, source);
            var trial = model.Score(new float[window * LearnedFeatures.Count], 1);
            if (!float.IsFinite(trial[0]) || trial[0] < 0 || trial[0] > 1)
            {
                throw new LearnedModelException($"{source}: a trial run on zeros gave risk {trial[0]}, outside [0, 1].");
            }

            return model;
        }
        catch (Exception ex) when (ex is LearnedModelException or OnnxRuntimeException)
        {
            session.Dispose();
            throw ex as LearnedModelException ?? new LearnedModelException($"{source}: a trial run failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> windows laid out row after row in <paramref name="windows"/>
    /// (rows × <see cref="Window"/> × <see cref="LearnedFeatures.Count"/>); one risk per row.
    /// </summary>
    public float[] Score(float[] windows, int rows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var shape = new[] { rows, Window, LearnedFeatures.Count };
        if (windows.Length != rows * Window * LearnedFeatures.Count)
        {
            throw new ArgumentException($"Expected {rows * Window * LearnedFeatures.Count} values for {rows} rows.", nameof(windows));
        }

        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, new DenseTensor<float>(windows, shape))]);
        var risk = results[0].AsTensor<float>();
        var scores = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            scores[r] = risk[r, 0];
        }

        return scores;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static int Check(InferenceSession session, string source)
    {
        var problems = new List<string>();
        var window = 0;
        if (session.InputMetadata.Count != 1 || !session.InputMetadata.TryGetValue(InputName, out var input))
        {
            problems.Add($"expected one input '{InputName}', found [{string.Join(", ", session.InputMetadata.Keys)}]");
        }
        else if (input.ElementType != typeof(float) || input.Dimensions.Length != 3 || input.Dimensions[2] != LearnedFeatures.Count)
        {
            problems.Add($"input '{InputName}' must be float [batch, window, {LearnedFeatures.Count}], is {input.ElementType.Name} [{string.Join(", ", input.Dimensions)}]");
        }
        else
        {
            window = input.Dimensions[1];
        }

        if (!session.OutputMetadata.TryGetValue(OutputName, out var output) || output.ElementType != typeof(float)
            || output.Dimensions.Length != 2 || output.Dimensions[1] != 1)
        {
            problems.Add($"expected a float output '{OutputName}' [batch, 1], found [{string.Join(", ", session.OutputMetadata.Keys)}]");
        }

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var expected = string.Join(',', LearnedFeatures.Names);
        if (!metadata.TryGetValue(FeaturesKey, out var features) || features != expected)
        {
            problems.Add($"metadata '{FeaturesKey}' must list this gateway's {LearnedFeatures.Count} features ({expected}), is '{features}'");
        }

        if (!metadata.TryGetValue(WindowKey, out var windowText) || !int.TryParse(windowText, NumberStyles.None, CultureInfo.InvariantCulture, out var declared)
            || declared != window || window is < 1 or > LearnedFeatureWindows.MaxWindow)
        {
            problems.Add($"metadata '{WindowKey}' ({windowText}) must equal the input's window ({window}), 1–{LearnedFeatureWindows.MaxWindow}");
        }

        if (!metadata.ContainsKey(VersionKey))
        {
            problems.Add($"metadata '{VersionKey}' is missing");
        }

        return problems.Count == 0 ? window : throw new LearnedModelException($"{source}: incompatible learned-scorer model: " + string.Join("; ", problems) + ".");
    }
}

/// <summary>A learned-scorer model file that cannot be used; the message says why.</summary>
public sealed class LearnedModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LearnedModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public LearnedModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LearnedModelException()
    {
    }
}
