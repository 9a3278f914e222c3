using GenSafety.Detectors.Images;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Where the protected corpora live: in this process (single instance) or in Redis, shared by every replica. Adding
/// is idempotent by id (an id already present is skipped), so start-up bulk loading can run on every replica.
/// Every method updates this replica's <see cref="ProtectedCorpus"/>.
/// </summary>
public interface IProtectedCorpusStore
{
    /// <summary>Normalises and indexes the documents whose ids are new.</summary>
    /// <exception cref="GenSafety.Gateway.State.StateStoreUnavailableException">The shared store failed.</exception>
    Task<ProtectedCorpusChange> AddTextAsync(IReadOnlyList<ProtectedDocument> documents, CancellationToken cancellationToken);

    /// <summary>Adds the images whose ids are new.</summary>
    /// <exception cref="GenSafety.Gateway.State.StateStoreUnavailableException">The shared store failed.</exception>
    Task<ProtectedCorpusChange> AddImagesAsync(IReadOnlyList<ProtectedImage> images, CancellationToken cancellationToken);

    /// <summary>Loads whatever changed in the shared store since the last load (nothing to do in memory); true when something was swapped in.</summary>
    /// <exception cref="GenSafety.Gateway.State.StateStoreUnavailableException">The shared store failed.</exception>
    Task<bool> RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onChange"/> when another replica changes the corpora (nothing to do in memory).</summary>
    Task SubscribeAsync(Action onChange);

    /// <summary>Bytes the text index takes in the store (header, Bloom bits and attribution map).</summary>
    long StoredTextBytes { get; }
}

/// <summary>A protected text document.</summary>
/// <param name="Id">Its id (audit only).</param>
/// <param name="Text">Its text.</param>
public sealed record ProtectedDocument(string Id, string Text);

/// <summary>A protected image, hashed.</summary>
/// <param name="Id">Its id (audit only).</param>
/// <param name="Hashes">Its eight dihedral PDQ hashes (<see cref="PdqHasher.HashDihedral(ReadOnlySpan{byte})"/>).</param>
public sealed record ProtectedImage(string Id, IReadOnlyList<PdqResult> Hashes);

/// <summary>What an add did.</summary>
/// <param name="Added">Ids added.</param>
/// <param name="Skipped">Ids already present, left as they were.</param>
/// <param name="Ngrams">N-grams indexed (text only).</param>
/// <param name="Version">The corpus version after the change (text: the index version; images: the image set version).</param>
public sealed record ProtectedCorpusChange(IReadOnlyList<string> Added, IReadOnlyList<string> Skipped, long Ngrams, long Version);
