using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSafety.Detectors.Training.Model;

/// <summary>
/// The learned scorer's network: the noisy-OR of an analytic prior and a learned window score. The prior is the
/// noisy-OR of the newest step's detector scores (what the <c>analytic</c> fusion computes with weights 1); the learned
/// score reads the whole window: input [batch, window, features] normalised with the training set's per-feature mean
/// and standard deviation, a 1-D convolution over time (kernel 3, same padding) with ReLU, the mean over time, a hidden
/// layer with ReLU, one logit and a sigmoid. Risk = 1 − (1 − prior)(1 − learned): the model can add evidence the
/// detectors' scores miss, never remove theirs, so a family the training never saw keeps the analytic fusion's
/// detection. Every step maps onto a standard ONNX operator.
/// </summary>
internal sealed class ScorerNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Convolution kernel width (steps).</summary>
    public const int Kernel = 3;

    /// <summary>Detector-score features, the first of every step (<c>LearnedFeatures.Detectors</c>).</summary>
    public int ScoreFeatures { get; }

    private readonly Conv1d conv;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly Tensor mean;
    private readonly Tensor scale;

    /// <summary>A network over <paramref name="features"/> features with <paramref name="channels"/> hidden channels.</summary>
    public ScorerNetwork(int features, int channels, float[] featureMean, float[] featureStd, int scoreFeatures)
        : base("learned_scorer")
    {
        ScoreFeatures = scoreFeatures;
        conv = nn.Conv1d(features, channels, Kernel, padding: Kernel / 2);
        hidden = nn.Linear(channels, channels);
        output = nn.Linear(channels, 1);
        mean = tensor(featureMean);
        scale = tensor(featureStd);
        register_buffer("mean", mean);
        register_buffer("scale", scale);
        RegisterComponents();
    }

    /// <summary>Feature means.</summary>
    public float[] Mean => mean.data<float>().ToArray();

    /// <summary>Feature standard deviations.</summary>
    public float[] Std => scale.data<float>().ToArray();

    /// <summary>Convolution weight [channels, features, kernel] and bias.</summary>
    public (float[] Weight, float[] Bias) Convolution => (conv.weight!.data<float>().ToArray(), conv.bias!.data<float>().ToArray());

    /// <summary>Hidden layer weight [channels, channels] and bias.</summary>
    public (float[] Weight, float[] Bias) Hidden => (hidden.weight!.data<float>().ToArray(), hidden.bias!.data<float>().ToArray());

    /// <summary>Output layer weight [1, channels] and bias.</summary>
    public (float[] Weight, float[] Bias) Output => (output.weight!.data<float>().ToArray(), output.bias!.data<float>().ToArray());

    /// <summary>Channels of the convolution.</summary>
    public int Channels => (int)conv.weight!.shape[0];

    /// <summary>The risk of each row ([batch, 1]).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var scores = input.select(1, input.shape[1] - 1).narrow(1, 0, ScoreFeatures);
        var priorMiss = (1 - scores).prod(1, keepdim: true);
        var x = ((input - mean) / scale).transpose(1, 2);
        x = nn.functional.relu(conv.forward(x)).mean([2]);
        x = nn.functional.relu(hidden.forward(x));
        var learned = sigmoid(output.forward(x));
        return (1 - (priorMiss * (1 - learned))).MoveToOuterDisposeScope();
    }

    /// <summary>Risk in [0, 1] of each row ([batch, 1]), what the exported model outputs.</summary>
    public float[] Predict(float[] windows, int rows, int window, int features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        eval();
        return forward(tensor(windows, [rows, window, features])).data<float>().ToArray();
    }
}
