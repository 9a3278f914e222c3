namespace GenSafety.Gateway.Detection;

/// <summary>
/// A named query-stream detector. The pipeline calls <see cref="Detect"/> once per client and micro-batch with that
/// client's new events, the vectors it asked for and its stored state; the detector returns a score in [0, 1], a
/// reason (numbers and words, never prompt text) and its new state, which the pipeline stores in Redis
/// (<c>gs:{tenant}:det:{client}:{detector}</c>) or in memory. Detectors are singletons without per-client fields:
/// everything a detector remembers about a client is in that state, so any replica can continue where another
/// stopped. Registered with <c>AddQueryDetector</c>; enabled by <c>GenSafety:Detection:Detectors:{name}:Enabled</c>.
/// </summary>
public interface IQueryDetector
{
    /// <summary>The name configuration, state keys, metrics and risk reasons use (lower-case, letters, digits and '-').</summary>
    string Name { get; }

    /// <summary>What the detector reads and how its state is stored.</summary>
    DetectorDescriptor Descriptor { get; }

    /// <summary>
    /// Whether the pipeline must embed this event's prompt for the detector (with the tenant's
    /// <c>ITextEmbedder</c>); the vectors come in <see cref="DetectorInput.PromptVectors"/>.
    /// </summary>
    bool NeedsPromptVector(QueryEvent queryEvent);

    /// <summary>
    /// Whether the pipeline must embed this event's <see cref="QueryEvent.QueryText"/> (the client's own question,
    /// without templates and history) for the detector; the vectors come in <see cref="DetectorInput.QueryVectors"/>.
    /// </summary>
    bool NeedsQueryVector(QueryEvent queryEvent) => false;

    /// <summary>
    /// Folds <see cref="DetectorInput.Events"/> into <see cref="DetectorInput.State"/> and scores the client. Pure
    /// with respect to its input: the pipeline may call it again with fresher state when another replica wrote the
    /// same client's state in between. May throw; the pipeline then skips this detector for this client and batch.
    /// </summary>
    DetectorResult Detect(DetectorInput input);
}

/// <summary>What a detector reads and how its state is stored.</summary>
/// <param name="ReadsReturnedEmbeddings">
/// Whether the detector reads <see cref="QueryEvent.ReturnedEmbeddings"/>; when no enabled detector does, embeddings
/// responses are not copied at all.
/// </param>
/// <param name="StateMode">How the state is written back.</param>
/// <param name="MaxStateBytes">Largest state the detector writes; larger states are refused (and counted as errors).</param>
public sealed record DetectorDescriptor(bool ReadsReturnedEmbeddings, DetectorStateMode StateMode, int MaxStateBytes);

/// <summary>How a detector's state is written back.</summary>
public enum DetectorStateMode
{
    /// <summary>
    /// The new state replaces the old one if nobody wrote it since it was read (compare-and-set on a version);
    /// otherwise the detector runs again on the fresh state.
    /// </summary>
    Replace = 0,

    /// <summary>
    /// The state is a bitmap that only gains bits, kept by an <see cref="IBitmapQueryDetector"/>: it is never read
    /// back; the bits a batch sets are OR-ed into the stored value (Redis <c>SETBIT</c>), so concurrent writers on
    /// several replicas merge without conflicts, and the store counts the set bits per region.
    /// </summary>
    BitwiseOr = 1,
}

/// <summary>One client's events of a micro-batch, as a detector receives them.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="ClientId">Client.</param>
/// <param name="Now">The pipeline's clock when the batch was processed.</param>
/// <param name="Events">The client's events, oldest first.</param>
/// <param name="PromptVectors">
/// Parallel to <see cref="Events"/>: the prompt vector of each event the detector asked for
/// (<see cref="IQueryDetector.NeedsPromptVector"/>), <see langword="null"/> elsewhere or when embedding failed.
/// </param>
/// <param name="PromptEmbedder">The name of the embedder that made <see cref="PromptVectors"/> (the tenant's).</param>
/// <param name="State">The stored state (empty when there is none or it expired; always empty for a bitmap detector).</param>
public sealed record DetectorInput(
    string Tenant,
    string ClientId,
    DateTimeOffset Now,
    IReadOnlyList<QueryEvent> Events,
    IReadOnlyList<float[]?> PromptVectors,
    string PromptEmbedder,
    ReadOnlyMemory<byte> State)
{
    /// <summary>
    /// Parallel to <see cref="Events"/>: the vector of each event's <see cref="QueryEvent.QueryText"/> the detector asked
    /// for (<see cref="IQueryDetector.NeedsQueryVector"/>), <see langword="null"/> elsewhere or when embedding failed.
    /// </summary>
    public IReadOnlyList<float[]?> QueryVectors { get; init; } = [];
}

/// <summary>What a detector concluded about a client.</summary>
/// <param name="Score">Risk in [0, 1].</param>
/// <param name="Reason">A few words and numbers behind the score (no prompt text); shown in the admin API.</param>
/// <param name="State">The new state to store, or <see langword="null"/> to leave the stored one as it is.</param>
public sealed record DetectorResult(double Score, string Reason, byte[]? State)
{
    /// <summary>
    /// The client's B4B coverage of the returned-embedding space in [0, 1], when the detector measures it: written
    /// to the enforcement state, where it sets the σ of the L2 embedding noise.
    /// </summary>
    public double? EmbeddingCoverage { get; init; }
}
