namespace GenSafety.ReferenceModel.Text;

/// <summary>Scores prompt tokens under the model (for <c>echo</c> with logprobs).</summary>
internal static class PromptScorer
{
    /// <summary>
    /// One entry per prompt token: its logprob given the tokens before it and the top alternatives. The first
    /// token has no score (OpenAI reports null), so its entry is null.
    /// </summary>
    public static GenerationStep?[] Score(LanguageModel model, Cl100kTokenizer tokenizer, IReadOnlyList<int> prompt, SamplingSettings settings)
        => Score(model, tokenizer, prompt, settings, null);

    /// <summary>
    /// <see cref="Score(LanguageModel, Cl100kTokenizer, IReadOnlyList{int}, SamplingSettings)"/>, and when
    /// <paramref name="moments"/> is given (as long as the prompt), the moments of each position's full distribution
    /// (<see cref="TokenDistribution.LogprobMoments"/>; null for the first token).
    /// </summary>
    public static GenerationStep?[] Score(
        LanguageModel model, Cl100kTokenizer tokenizer, IReadOnlyList<int> prompt, SamplingSettings settings, (double Mean, double StandardDeviation)?[]? moments)
    {
        var distribution = new TokenDistribution(model, tokenizer, settings.LogitBias);
        var context = new int[prompt.Count + 1];
        context[0] = model.EndOfDocument;
        for (var i = 0; i < prompt.Count; i++)
        {
            context[i + 1] = prompt[i];
        }

        var result = new GenerationStep?[prompt.Count];
        var offset = 0;
        for (var i = 0; i < prompt.Count; i++)
        {
            var token = prompt[i];
            if (i > 0)
            {
                distribution.Compute(context.AsSpan(0, i + 1));
                var top = new (int, double)[Math.Max(settings.TopLogprobs, 0)];
                var count = distribution.Top(top);
                result[i] = new GenerationStep(token, distribution.LogProbability(token), top[..count], tokenizer.GetString(token), offset);
                if (moments is not null)
                {
                    moments[i] = distribution.LogprobMoments();
                }
            }

            offset += tokenizer.GetString(token).Length;
        }

        return result;
    }
}
