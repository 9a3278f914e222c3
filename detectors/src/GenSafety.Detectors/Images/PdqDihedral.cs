namespace GenSafety.Detectors.Images;

/// <summary>
/// The eight symmetries of a square image. Bit 2 = transpose first, bit 0 = then mirror left–right, bit 1 = then
/// mirror top–bottom; so transpose then mirror left–right is a clockwise quarter turn.
/// </summary>
public enum PdqDihedral
{
    /// <summary>The image as it is.</summary>
    Original = 0,

    /// <summary>Mirrored left–right.</summary>
    MirrorHorizontal = 1,

    /// <summary>Mirrored top–bottom.</summary>
    MirrorVertical = 2,

    /// <summary>Turned half way round.</summary>
    Rotate180 = 3,

    /// <summary>Mirrored about the main diagonal.</summary>
    Transpose = 4,

    /// <summary>Turned a quarter clockwise.</summary>
    Rotate90 = 5,

    /// <summary>Turned a quarter counter-clockwise.</summary>
    Rotate270 = 6,

    /// <summary>Mirrored about the anti-diagonal.</summary>
    Transverse = 7,
}
