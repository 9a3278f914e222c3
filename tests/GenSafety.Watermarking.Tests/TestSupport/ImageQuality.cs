using GenSafety.Watermarking.Images;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>Distortion of a marked image against its original: PSNR over R, G and B, and SSIM on luma.</summary>
internal static class ImageQuality
{
    public static double Psnr(RgbaImage original, RgbaImage marked)
    {
        var sum = 0.0;
        for (var i = 0; i < original.Pixels.Length; i++)
        {
            if ((i & 3) != 3)
            {
                var d = original.Pixels[i] - marked.Pixels[i];
                sum += d * d;
            }
        }

        var mse = sum / (3.0 * original.Width * original.Height);
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Mean SSIM over 8×8 luma windows at stride 4 (an approximation of the Gaussian-window original).</summary>
    public static double Ssim(RgbaImage original, RgbaImage marked)
    {
        const double C1 = 6.5025;
        const double C2 = 58.5225;
        var a = Luma(original);
        var b = Luma(marked);
        var width = original.Width;
        var total = 0.0;
        var windows = 0;
        for (var y = 0; y + 8 <= original.Height; y += 4)
        {
            for (var x = 0; x + 8 <= width; x += 4)
            {
                double ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
                for (var j = 0; j < 8; j++)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        ma += a[((y + j) * width) + x + i];
                        mb += b[((y + j) * width) + x + i];
                    }
                }

                ma /= 64;
                mb /= 64;
                for (var j = 0; j < 8; j++)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        var da = a[((y + j) * width) + x + i] - ma;
                        var db = b[((y + j) * width) + x + i] - mb;
                        va += da * da;
                        vb += db * db;
                        cov += da * db;
                    }
                }

                va /= 63;
                vb /= 63;
                cov /= 63;
                total += ((2 * ma * mb) + C1) * ((2 * cov) + C2) / (((ma * ma) + (mb * mb) + C1) * (va + vb + C2));
                windows++;
            }
        }

        return total / windows;
    }

    private static double[] Luma(RgbaImage image)
    {
        var luma = new double[image.Width * image.Height];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = (0.299 * image.Pixels[4 * i]) + (0.587 * image.Pixels[(4 * i) + 1]) + (0.114 * image.Pixels[(4 * i) + 2]);
        }

        return luma;
    }
}
