namespace GenSafety.Detectors.Memorization;

/// <summary>
/// What a <see cref="ProtectedTextStreamMatcher"/> allows after a piece of stream text. Offsets count UTF-16
/// characters of the whole stream so far.
/// </summary>
/// <param name="Stopped">True when protected text was found: forward the stream up to <see cref="StopOffset"/> only, then end it.</param>
/// <param name="ForwardableOffset">The stream may be forwarded up to this offset (exclusive) now.</param>
/// <param name="StopOffset">When stopped: where the forwarded text must end; otherwise -1.</param>
public readonly record struct StreamMatchStatus(bool Stopped, long ForwardableOffset, long StopOffset);
