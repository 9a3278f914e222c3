namespace GenSafety.Detectors.Training.Model;

/// <summary>Training settings.</summary>
internal sealed record TrainingOptions
{
    /// <summary>Seed of the initial weights, the validation split and the batch order.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Convolution channels (also the hidden layer's width).</summary>
    public int Channels { get; init; } = 16;

    /// <summary>Most epochs.</summary>
    public int MaxEpochs { get; init; } = 60;

    /// <summary>Epochs without a better validation loss before stopping.</summary>
    public int Patience { get; init; } = 8;

    /// <summary>Rows per optimiser step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>
    /// Adam's L2 weight decay: small weights keep logits moderate, which generalises better to unseen attack families
    /// and keeps float32 differences between TorchSharp and ONNX Runtime far below the export tolerance.
    /// </summary>
    public double WeightDecay { get; init; } = 1e-3;

    /// <summary>Share of clients held out for early stopping.</summary>
    public double ValidationShare { get; init; } = 0.2;

    /// <summary>Longest training time; training stops at the end of the epoch that passes it.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(10);
}
