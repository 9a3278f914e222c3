namespace GenSafety.Watermarking.Images;

/// <summary>
/// Dithered quantisation-index modulation on one coefficient: bit b moves it to the nearest point of the lattice
/// step·(ℤ + dither + b/2); reading it back gives a soft value cos(2π(c/step − dither)): +1 on the bit-0 lattice,
/// −1 on the bit-1 lattice, uniform on [−1, 1] in distribution for a coefficient no one quantised with this dither.
/// </summary>
internal static class Qim
{
    public static float Target(float coefficient, float step, float dither, int bit)
    {
        var offset = dither + (0.5f * bit);
        return step * (MathF.Round((coefficient / step) - offset) + offset);
    }

    public static float Soft(float coefficient, float step, float dither) =>
        MathF.Cos(2 * MathF.PI * ((coefficient / step) - dither));
}
