using System.Collections.Concurrent;
using System.Diagnostics;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// Trains each model configuration once per process and shares it: tests start many hosts in one process.
/// </summary>
internal static class LanguageModelCache
{
    private static readonly ConcurrentDictionary<(string DataDirectory, int Order, bool LowRank, int HiddenSize, int Seed), Lazy<TrainedModel>> Models = new();

    /// <summary>The model for these settings, trained on first use.</summary>
    public static TrainedModel Get(string dataDirectory, int order, bool lowRank, int hiddenSize, int seed)
    {
        var key = (Path.GetFullPath(dataDirectory), order, lowRank, lowRank ? hiddenSize : 0, lowRank ? seed : 0);
        return Models.GetOrAdd(key, k => new Lazy<TrainedModel>(() => Train(k.DataDirectory, k.Order, k.LowRank, k.HiddenSize, k.Seed))).Value;
    }

    private static TrainedModel Train(string dataDirectory, int order, bool lowRank, int hiddenSize, int seed)
    {
        var stopwatch = Stopwatch.StartNew();
        var corpus = ReferenceCorpus.Load(dataDirectory);
        var ngram = lowRank
            ? Get(dataDirectory, order, lowRank: false, 0, 0).NGram
            : NGramTrainer.Train(corpus.TrainingDocuments(), order, Cl100kTokenizer.Shared);
        LanguageModel model = lowRank ? new LowRankLanguageModel(ngram, hiddenSize, seed) : ngram;
        return new TrainedModel(model, ngram, corpus, stopwatch.Elapsed);
    }
}

/// <summary>A trained model with the corpus it came from and how long training took.</summary>
internal sealed record TrainedModel(LanguageModel Model, NGramLanguageModel NGram, ReferenceCorpus Corpus, TimeSpan TrainingTime);
