using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.Text;

public sealed class LowRankLanguageModelTests
{
    private const int HiddenSize = 24;

    [Fact]
    public void ComputeLogits_ManyContexts_NumericalRankEqualsHiddenSize()
    {
        var model = (LowRankLanguageModel)LanguageModelCache.Get(TestCorpus.DataDirectory, 32, lowRank: true, HiddenSize, 99).Model;
        var tokenizer = Cl100kTokenizer.Shared;
        var logits = new double[model.Vocabulary.Count];
        var rows = new List<double[]>();
        foreach (var document in TestCorpus.Corpus.General.Take(20))
        {
            var tokens = tokenizer.Encode(document);
            for (var length = 1; length <= 40; length += 13)
            {
                model.ComputeLogits([model.EndOfDocument, .. tokens.Take(length)], logits);
                rows.Add(logits[..500]); // a restricted vocabulary subset keeps the check cheap
            }
        }

        Assert.True(rows.Count > 3 * HiddenSize);
        Assert.Equal(HiddenSize, NumericalRank(rows, relativeTolerance: 1e-4));
    }

    [Fact]
    public void Predict_LowRank_IsADistributionOverSeenTokens()
    {
        var model = LanguageModelCache.Get(TestCorpus.DataDirectory, 32, lowRank: true, HiddenSize, 99).Model;
        var p = new double[model.Vocabulary.Count];

        var unseen = model.Predict([model.EndOfDocument, .. Cl100kTokenizer.Shared.Encode("Notes on animals.")], p);

        Assert.Equal(0, unseen);
        Assert.Equal(1.0, p.Sum(), 9);
    }

    [Fact]
    public async Task ChatCompletions_LowRankHost_ServesValidLogprobs()
    {
        await using var host = await ReferenceModelHost.StartAsync(o =>
        {
            o.LowRankLogits = true;
            o.HiddenSize = HiddenSize;
            o.LowRankSeed = 99;
        });

        var (status, body) = await HttpJson.PostAsync(host.Http, "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"Notes on animals."}],"max_tokens":10,"logprobs":true,"top_logprobs":5,"seed":1}""");

        Assert.Equal(200, (int)status);
        foreach (var entry in body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray())
        {
            var tops = entry.GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("logprob").GetDouble()).ToArray();
            Assert.Equal(tops.OrderByDescending(x => x), tops);
            Assert.True(tops.Sum(Math.Exp) <= 1 + 1e-9);
        }
    }

    /// <summary>Rank by modified Gram–Schmidt: rows whose residual is tiny relative to their norm add nothing.</summary>
    private static int NumericalRank(List<double[]> rows, double relativeTolerance)
    {
        var basis = new List<double[]>();
        foreach (var row in rows)
        {
            var residual = (double[])row.Clone();
            var norm = Math.Sqrt(residual.Sum(x => x * x));
            foreach (var b in basis)
            {
                var dot = residual.Zip(b, (x, y) => x * y).Sum();
                for (var i = 0; i < residual.Length; i++)
                {
                    residual[i] -= dot * b[i];
                }
            }

            var left = Math.Sqrt(residual.Sum(x => x * x));
            if (left > relativeTolerance * norm)
            {
                basis.Add(residual.Select(x => x / left).ToArray());
            }
        }

        return basis.Count;
    }
}
