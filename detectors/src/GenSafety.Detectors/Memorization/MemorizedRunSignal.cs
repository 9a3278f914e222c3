namespace GenSafety.Detectors.Memorization;

/// <summary>The longest near-certain token run of a choice and whether it looks memorised.</summary>
/// <param name="Memorized">True when the run is long, incompressible and nearly free for the model.</param>
/// <param name="Score">0 to 1 (0.5 at the minimum run length, 1 at twice it).</param>
/// <param name="RunStartToken">Index of the run's first token.</param>
/// <param name="RunTokens">Tokens in the run.</param>
/// <param name="ZlibRatio">zlib bits ÷ model bits of the run text (0 when the run is too short to measure).</param>
/// <param name="CompressedFraction">zlib bytes ÷ UTF-8 bytes of the run text.</param>
public readonly record struct MemorizedRunSignal(bool Memorized, double Score, int RunStartToken, int RunTokens, double ZlibRatio, double CompressedFraction);
