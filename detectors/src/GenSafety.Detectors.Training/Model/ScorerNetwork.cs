using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSafety.Detectors.Training.Model;

/// <summary>
/// The learned scorer's network: input [batch, window, features] normalised with the training set's per-feature mean
/// and standard deviation, a 1-D convolution over time (kernel 3, same padding) with ReLU, the mean over time, a hidden
/// layer with ReLU and one output logit. Every step maps onto a standard ONNX operator (<c>Sub</c>, <c>Div</c>,
/// <c>Transpose</c>, <c>Conv</c>, <c>Relu</c>, <c>ReduceMean</c>, <c>Gemm</c>, <c>Sigmoid</c>).
/// </summary>
internal sealed class ScorerNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Convolution kernel width (steps).</summary>
    public const int Kernel = 3;

    private readonly Conv1d conv;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly Tensor mean;
    private readonly Tensor scale;

    /// <summary>A network over <paramref name="features"/> features with <paramref name="channels"/> hidden channels.</summary>
    public ScorerNetwork(int features, int channels, float[] featureMean, float[] featureStd)
        : base("learned_scorer")
    {
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

    /// <summary>The logit of each row.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = ((input - mean) / scale).transpose(1, 2);
        x = nn.functional.relu(conv.forward(x)).mean([2]);
        x = nn.functional.relu(hidden.forward(x));
        return output.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Risk in [0, 1] of each row ([batch, 1]), what the exported model outputs.</summary>
    public float[] Predict(float[] windows, int rows, int window, int features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        eval();
        var logits = forward(tensor(windows, [rows, window, features]));
        return sigmoid(logits).data<float>().ToArray();
    }
}
