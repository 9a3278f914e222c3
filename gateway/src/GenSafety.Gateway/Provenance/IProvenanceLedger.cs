namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Where delivered outputs are recorded for verification: by record id, by exact hash, texts by the
/// <see cref="LedgerBands"/> of their MinHash sketch and images by the <see cref="ImageLedgerBands"/> of their PDQ hash. Records expire after <see cref="ProvenanceOptions.LedgerRetention"/>. A backend failure surfaces as
/// <see cref="State.StateStoreUnavailableException"/>. Written off the response path, in batches, by
/// <see cref="ProvenanceLedgerWriter"/>.
/// </summary>
public interface IProvenanceLedger
{
    /// <summary>Stores <paramref name="records"/> (one backend round trip), each indexed by its hash and its bands.</summary>
    Task RecordAsync(IReadOnlyList<ProvenanceRecord> records, CancellationToken cancellationToken);

    /// <summary>The newest records (at most <see cref="ProvenanceOptions.MaxCandidatesPerBand"/>) whose output hashes to <paramref name="outputSha256"/>.</summary>
    Task<IReadOnlyList<ProvenanceRecord>> FindByHashAsync(string outputSha256, CancellationToken cancellationToken);

    /// <summary>Records sharing at least one LSH band with <paramref name="bands"/> (per band the newest few), without duplicates.</summary>
    Task<IReadOnlyList<ProvenanceRecord>> FindByBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken);

    /// <summary>The record <paramref name="recordId"/>, or null when unknown or expired.</summary>
    Task<ProvenanceRecord?> FindByIdAsync(string recordId, CancellationToken cancellationToken);

    /// <summary>Image records sharing at least one <see cref="ImageLedgerBands"/> key with <paramref name="bands"/> (per band the newest few), without duplicates.</summary>
    Task<IReadOnlyList<ProvenanceRecord>> FindByImageBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken);
}
