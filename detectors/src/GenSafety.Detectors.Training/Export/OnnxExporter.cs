using System.Globalization;
using GenSafety.Detectors.Training.Model;
using GenSafety.Gateway.Detection.Learned;

namespace GenSafety.Detectors.Training.Export;

/// <summary>
/// Writes a trained <see cref="ScorerNetwork"/> as an ONNX model (IR 8, opset 13) from its weights. Prior:
/// <c>features</c> → Gather(newest step) → Slice(detector scores) → ReduceProd(1 − s) (the chance no detector is
/// right). Learned: <c>features</c> → Sub(mean) → Div(std) → Transpose(0, 2, 1) → Conv(kernel 3, pads 1) → Relu →
/// ReduceMean(axis 2) → Gemm → Relu → Gemm → Sigmoid. <c>risk</c> [batch, 1] = 1 − prior miss × (1 − learned).
/// Metadata holds the version, window and feature names the gateway checks (<see cref="LearnedModel"/>). Field
/// numbers are those of onnx.proto.
/// </summary>
internal static class OnnxExporter
{
    /// <summary>ONNX IR version written.</summary>
    public const int IrVersion = 8;

    /// <summary>Default-domain opset written.</summary>
    public const int Opset = 13;

    private const int FloatType = 1;
    private const int Int64Type = 7;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>The model's bytes.</summary>
    public static byte[] Export(ScorerNetwork network, int window, string version, string description)
    {
        var features = LearnedFeatures.Count;
        var channels = network.Channels;
        var (convWeight, convBias) = network.Convolution;
        var (hiddenWeight, hiddenBias) = network.Hidden;
        var (outputWeight, outputBias) = network.Output;
        var model = new ProtoWriter()
            .Int(1, IrVersion)
            .String(2, "GenSafety.Detectors.Training")
            .String(3, "1")
            .Int(5, 1)
            .String(6, description)
            .Message(8, o => o.String(1, string.Empty).Int(2, Opset))
            .Message(7, graph =>
            {
                Node(graph, "Sub", ["features", "mean"], ["centred"]);
                Node(graph, "Div", ["centred", "std"], ["scaled"]);
                Node(graph, "Transpose", ["scaled"], ["channels_first"], a => Ints(a, "perm", [0, 2, 1]));
                Node(graph, "Conv", ["channels_first", "conv.weight", "conv.bias"], ["conv"], a =>
                {
                    Ints(a, "kernel_shape", [ScorerNetwork.Kernel]);
                    Ints(a, "pads", [ScorerNetwork.Kernel / 2, ScorerNetwork.Kernel / 2]);
                });
                Node(graph, "Relu", ["conv"], ["conv_relu"]);
                Node(graph, "ReduceMean", ["conv_relu"], ["pooled"], a =>
                {
                    Ints(a, "axes", [2]);
                    Int(a, "keepdims", 0);
                });
                Node(graph, "Gemm", ["pooled", "hidden.weight", "hidden.bias"], ["hidden"], a => Int(a, "transB", 1));
                Node(graph, "Relu", ["hidden"], ["hidden_relu"]);
                Node(graph, "Gemm", ["hidden_relu", "output.weight", "output.bias"], ["logit"], a => Int(a, "transB", 1));
                Node(graph, "Sigmoid", ["logit"], ["learned"]);
                Node(graph, "Gather", ["features", "newest_step"], ["newest"], a => Int(a, "axis", 1));
                Node(graph, "Slice", ["newest", "scores_start", "scores_end", "scores_axis"], ["scores"]);
                Node(graph, "Sub", ["one", "scores"], ["detector_misses"]);
                Node(graph, "ReduceProd", ["detector_misses"], ["prior_miss"], a =>
                {
                    Ints(a, "axes", [1]);
                    Int(a, "keepdims", 1);
                });
                Node(graph, "Sub", ["one", "learned"], ["learned_miss"]);
                Node(graph, "Mul", ["prior_miss", "learned_miss"], ["all_miss"]);
                Node(graph, "Sub", ["one", "all_miss"], [LearnedModel.OutputName]);
                graph.String(2, "learned_scorer");
                Initializer(graph, "mean", [features], network.Mean);
                Initializer(graph, "std", [features], network.Std);
                Initializer(graph, "conv.weight", [channels, features, ScorerNetwork.Kernel], convWeight);
                Initializer(graph, "conv.bias", [channels], convBias);
                Initializer(graph, "hidden.weight", [channels, channels], hiddenWeight);
                Initializer(graph, "hidden.bias", [channels], hiddenBias);
                Initializer(graph, "output.weight", [1, channels], outputWeight);
                Initializer(graph, "output.bias", [1], outputBias);
                Initializer(graph, "one", [], [1f]);
                Int64Initializer(graph, "newest_step", [], [window - 1]);
                Int64Initializer(graph, "scores_start", [1], [0]);
                Int64Initializer(graph, "scores_end", [1], [network.ScoreFeatures]);
                Int64Initializer(graph, "scores_axis", [1], [1]);
                ValueInfo(graph, 11, LearnedModel.InputName, ["batch", window, features]);
                ValueInfo(graph, 12, LearnedModel.OutputName, ["batch", 1]);
            });
        Metadata(model, LearnedModel.VersionKey, version);
        Metadata(model, LearnedModel.WindowKey, window.ToString(CultureInfo.InvariantCulture));
        Metadata(model, LearnedModel.FeaturesKey, string.Join(',', LearnedFeatures.Names));
        return model.ToArray();
    }

    private static void Node(ProtoWriter graph, string op, string[] inputs, string[] outputs, Action<ProtoWriter>? attributes = null)
        => graph.Message(1, node =>
        {
            foreach (var input in inputs)
            {
                node.String(1, input);
            }

            foreach (var output in outputs)
            {
                node.String(2, output);
            }

            node.String(3, outputs[0] + "_" + op.ToLowerInvariant()).String(4, op);
            attributes?.Invoke(node);
        });

    private static void Ints(ProtoWriter node, string name, long[] values) => node.Message(5, a =>
    {
        a.String(1, name);
        foreach (var value in values)
        {
            a.Int(8, value);
        }

        a.Int(20, AttributeInts);
    });

    private static void Int(ProtoWriter node, string name, long value) => node.Message(5, a => a.String(1, name).Int(3, value).Int(20, AttributeInt));

    private static void Initializer(ProtoWriter graph, string name, long[] dims, float[] values)
    {
        if (values.Length != dims.Aggregate(1L, (a, b) => a * b))
        {
            throw new ArgumentException($"{name}: {values.Length} values for dims [{string.Join(", ", dims)}].", nameof(values));
        }

        graph.Message(5, tensor =>
        {
            foreach (var dim in dims)
            {
                tensor.Int(1, dim);
            }

            var raw = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            tensor.Int(2, FloatType).String(8, name).Bytes(9, BitConverter.IsLittleEndian ? raw : throw new PlatformNotSupportedException("ONNX raw_data is little-endian."));
        });
    }

    private static void Int64Initializer(ProtoWriter graph, string name, long[] dims, long[] values) => graph.Message(5, tensor =>
    {
        foreach (var dim in dims)
        {
            tensor.Int(1, dim);
        }

        var raw = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.Int(2, Int64Type).String(8, name).Bytes(9, BitConverter.IsLittleEndian ? raw : throw new PlatformNotSupportedException("ONNX raw_data is little-endian."));
    });

    private static void ValueInfo(ProtoWriter graph, int field, string name, object[] dims) => graph.Message(field, info => info
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Int(1, FloatType)
            .Message(2, shape =>
            {
                foreach (var dim in dims)
                {
                    shape.Message(1, d =>
                    {
                        if (dim is string symbol)
                        {
                            d.String(2, symbol);
                        }
                        else
                        {
                            d.Int(1, Convert.ToInt64(dim, CultureInfo.InvariantCulture));
                        }
                    });
                }
            }))));

    private static void Metadata(ProtoWriter model, string key, string value) => model.Message(14, entry => entry.String(1, key).String(2, value));
}
