namespace GenSafety.ReferenceModel.Text;

/// <summary>A next-token model over cl100k ids. Implementations are immutable and thread-safe.</summary>
internal abstract class LanguageModel
{
    /// <summary>The explicitly scored tokens.</summary>
    public abstract TokenVocabulary Vocabulary { get; }

    /// <summary>Tokens the model trains and predicts with (documents start with it and end with it).</summary>
    public abstract int EndOfDocument { get; }

    /// <summary>Identifies the model configuration (used for <c>system_fingerprint</c>).</summary>
    public abstract string Fingerprint { get; }

    /// <summary>
    /// Writes P(token | context) for every vocabulary slot into <paramref name="probabilities"/> and returns the
    /// probability of each emittable token without a slot (0 when such tokens are impossible). The slot
    /// probabilities plus <see cref="TokenVocabulary.UnseenCount"/> times the returned value sum to 1.
    /// </summary>
    /// <param name="context">Preceding tokens, oldest first; by convention it starts with <see cref="EndOfDocument"/>.</param>
    /// <param name="probabilities">Receives one probability per slot.</param>
    public abstract double Predict(ReadOnlySpan<int> context, Span<double> probabilities);
}
