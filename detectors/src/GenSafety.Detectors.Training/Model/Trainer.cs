using System.Diagnostics;
using System.Globalization;
using GenSafety.Detectors.Training.Dataset;
using GenSafety.Detectors.Training.Evaluation;
using GenSafety.Gateway.Detection.Learned;
using static TorchSharp.torch;

namespace GenSafety.Detectors.Training.Model;

/// <summary>
/// Trains a <see cref="ScorerNetwork"/> on dataset rows: clients split into training and validation (whole clients,
/// so that a client's steps never sit on both sides), binary cross-entropy weighted by the inverse class frequency,
/// Adam with L2 weight decay, early stopping on the validation loss (the best epoch's weights are kept). Each epoch's losses and
/// validation ROC AUC are logged.
/// </summary>
internal static class Trainer
{
    /// <summary>Trains on <paramref name="rows"/> (windows of <paramref name="window"/> steps).</summary>
    public static TrainingResult Train(IReadOnlyList<DatasetRow> rows, int window, TrainingOptions options, TextWriter? log)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        random.manual_seed((long)options.Seed);
        var features = LearnedFeatures.Count;
        var (train, validation) = SplitByClient(rows, options.ValidationShare, options.Seed);
        if (train.Count == 0 || validation.Count == 0 || !train.Any(r => r.Attack) || train.All(r => r.Attack))
        {
            throw new InvalidOperationException("Training needs benign and attack rows and clients on both sides of the validation split.");
        }

        var (mean, std) = Moments(train, features);
        var network = new ScorerNetwork(features, options.Channels, mean, std, LearnedFeatures.Detectors.Count);
        using var xTrain = Stack(train);
        using var yTrain = tensor(train.Select(r => r.Attack ? 1f : 0f).ToArray(), [train.Count, 1]);
        using var xValidation = Stack(validation);
        using var yValidation = tensor(validation.Select(r => r.Attack ? 1f : 0f).ToArray(), [validation.Count, 1]);
        var positives = train.Count(r => r.Attack);
        var positiveWeight = (float)(train.Count - positives) / positives;
        Tensor Loss(Tensor risk, Tensor label) => WeightedCrossEntropy(risk, label, positiveWeight);
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var order = new Random((int)options.Seed);
        var best = double.PositiveInfinity;
        var bestEpoch = 0;
        var bestState = Snapshot(network);
        var clock = Stopwatch.StartNew();
        var epochs = 0;
        var labels = validation.Select(r => r.Attack).ToArray();
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            epochs = epoch;
            network.train();
            var permutation = Enumerable.Range(0, train.Count).OrderBy(_ => order.Next()).ToArray();
            double trainLoss = 0;
            for (var start = 0; start < permutation.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var index = tensor(permutation.AsSpan(start, Math.Min(options.BatchSize, permutation.Length - start)).ToArray().Select(i => (long)i).ToArray());
                var x = xTrain.index_select(0, index);
                var y = yTrain.index_select(0, index);
                optimizer.zero_grad();
                var value = Loss(network.forward(x), y);
                value.backward();
                optimizer.step();
                trainLoss += value.item<float>() * index.shape[0];
            }

            double validationLoss;
            float[] scores;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                network.eval();
                var risk = network.forward(xValidation);
                validationLoss = Loss(risk, yValidation).item<float>();
                scores = risk.data<float>().ToArray();
            }

            var auc = RocAuc.Compute(scores, labels);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {epoch,3}: train loss {trainLoss / train.Count:F4}, validation loss {validationLoss:F4}, validation AUC {auc:F4}"));
            if (validationLoss < best - 1e-5)
            {
                best = validationLoss;
                bestEpoch = epoch;
                bestState = Snapshot(network);
            }
            else if (epoch - bestEpoch >= options.Patience)
            {
                break;
            }

            if (clock.Elapsed > options.MaxTime)
            {
                log?.WriteLine("  time limit reached");
                break;
            }
        }

        Restore(network, bestState);
        network.eval();
        return new TrainingResult(network, window, bestEpoch, epochs, best, clock.Elapsed);
    }

    // Binary cross-entropy on the risk itself (the network ends in a noisy-OR, not a logit), attack rows weighted by
    // the inverse class frequency; clamped away from 0 and 1 so that a prior of 1 on a benign row costs a bounded loss.
    private static Tensor WeightedCrossEntropy(Tensor risk, Tensor label, float positiveWeight)
    {
        var p = risk.clamp(1e-6, 1 - 1e-6);
        return -((positiveWeight * label * p.log()) + ((1 - label) * (1 - p).log())).mean();
    }

    /// <summary>Rows as a tensor [rows, window, features].</summary>
    public static Tensor Stack(IReadOnlyList<DatasetRow> rows)
    {
        var length = rows[0].Window.Length;
        var data = new float[rows.Count * length];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Window.CopyTo(data, i * length);
        }

        return tensor(data, [rows.Count, length / LearnedFeatures.Count, LearnedFeatures.Count]);
    }

    private static (List<DatasetRow> Train, List<DatasetRow> Validation) SplitByClient(IReadOnlyList<DatasetRow> rows, double share, ulong seed)
    {
        var random = new Random((int)seed + 17);
        var clients = rows.Select(r => r.Client).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var held = clients.Where(_ => random.NextDouble() < share).ToHashSet(StringComparer.Ordinal);
        return ([.. rows.Where(r => !held.Contains(r.Client))], [.. rows.Where(r => held.Contains(r.Client))]);
    }

    // A feature (nearly) constant in training is scaled by this at most: features lie in [0, 1], and dividing by a
    // vanishing deviation would turn float rounding into large activations.
    private const double MinStd = 0.05;

    // Mean and standard deviation of each feature over every step of every window (padding included: the model sees it too).
    private static (float[] Mean, float[] Std) Moments(IReadOnlyList<DatasetRow> rows, int features)
    {
        var sum = new double[features];
        var squares = new double[features];
        long count = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Window.Length; i++)
            {
                sum[i % features] += row.Window[i];
                squares[i % features] += (double)row.Window[i] * row.Window[i];
            }

            count += row.Window.Length / features;
        }

        var mean = new float[features];
        var std = new float[features];
        for (var f = 0; f < features; f++)
        {
            var m = sum[f] / count;
            mean[f] = (float)m;
            std[f] = (float)Math.Max(Math.Sqrt(Math.Max(squares[f] / count - (m * m), 0)), MinStd);
        }

        return (mean, std);
    }

    private static Dictionary<string, Tensor> Snapshot(ScorerNetwork network)
        => network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private static void Restore(ScorerNetwork network, Dictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in network.state_dict())
        {
            value.copy_(state[name]);
        }
    }
}

/// <summary>A trained network and how training went.</summary>
/// <param name="Network">The network with the best epoch's weights.</param>
/// <param name="Window">Steps per window.</param>
/// <param name="BestEpoch">Epoch of the lowest validation loss.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="ValidationLoss">The lowest validation loss.</param>
/// <param name="Elapsed">Training time.</param>
internal sealed record TrainingResult(ScorerNetwork Network, int Window, int BestEpoch, int Epochs, double ValidationLoss, TimeSpan Elapsed);
