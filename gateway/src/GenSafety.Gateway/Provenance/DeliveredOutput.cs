namespace GenSafety.Gateway.Provenance;

/// <summary>What a response delivered for one choice, and the ledger record and receipt made for it.</summary>
/// <param name="Index">Choice index.</param>
/// <param name="RecordId">Ledger record id.</param>
/// <param name="Receipt">Signed receipt (compact JWS).</param>
internal sealed record DeliveredOutput(int Index, string RecordId, string Receipt);
