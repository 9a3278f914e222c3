namespace GenSafety.Detectors.Extraction;

/// <summary>The detector a stored state belongs to (byte 1 of every state).</summary>
internal enum StateKind : byte
{
    Prada = 1,
    NearDuplicate = 2,
    WindowMmd = 3,
    Harvesting = 4,
    MmdReference = 5,
}
