namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Where delivered outputs are recorded for verification: by exact hash and by the <see cref="LedgerBands"/> of their
/// MinHash sketch. Records expire after <see cref="ProvenanceOptions.LedgerRetention"/>. A backend failure surfaces as
/// <see cref="State.StateStoreUnavailableException"/>. Written off the response path, in batches, by
/// <see cref="ProvenanceLedgerWriter"/>.
/// </summary>
public interface IProvenanceLedger
{
    /// <summary>Stores <paramref name="records"/> (one backend round trip), each indexed by its hash and its <see cref="LedgerBands"/>.</summary>
    Task RecordAsync(IReadOnlyList<ProvenanceRecord> records, CancellationToken cancellationToken);

    /// <summary>The newest records (at most <see cref="ProvenanceOptions.MaxCandidatesPerBand"/>) whose output hashes to <paramref name="outputSha256"/>.</summary>
    Task<IReadOnlyList<ProvenanceRecord>> FindByHashAsync(string outputSha256, CancellationToken cancellationToken);

    /// <summary>Records sharing at least one LSH band with <paramref name="bands"/> (per band the newest few), without duplicates.</summary>
    Task<IReadOnlyList<ProvenanceRecord>> FindByBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken);
}
