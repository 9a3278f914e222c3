namespace GenSafety.Gateway.Provenance;

/// <summary>
/// How the current response is marked, decided once per request and kept in <c>HttpContext.Features</c>:
/// the request shaping step sets it for <c>unigram-bias</c>, the response step for the other schemes.
/// </summary>
/// <param name="Tenant">Tenant whose keys mark the response.</param>
/// <param name="Scheme">Scheme name (<see cref="WatermarkSchemeNames"/>); <c>none</c> when nothing was marked.</param>
/// <param name="Kid">Key id of the mark, or null when nothing was marked.</param>
internal sealed record ResponseMark(string Tenant, string Scheme, string? Kid);
