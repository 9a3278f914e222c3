using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace GenSafety.LoadTests.ProofOfWork;

/// <summary>
/// <c>pow-solve</c>: solves one challenge, or with <c>--benchmark</c> measures this machine's hash rate and solve times
/// so operators can recalibrate <c>GenSafety:Enforcement:ProofOfWork:Calibration</c>.
/// </summary>
public static class SolveCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: pow-solve "<token>; bits=<n>" [--threads N]      print the x-gensafety-pow header value
               pow-solve --benchmark [--bits 12,16,20] [--samples N] [--threads N]
        """;

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int threads = 1;
        int samples = 5;
        int[] bitsList = [12, 16, 20];
        bool benchmark = false;
        string? challenge = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--benchmark":
                    benchmark = true;
                    break;
                case "--threads" when i + 1 < args.Length:
                    threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--samples" when i + 1 < args.Length:
                    samples = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--bits" when i + 1 < args.Length:
                    bitsList = [.. args[++i].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
                    break;
                default:
                    challenge = args[i];
                    break;
            }
        }

        if (benchmark)
        {
            Benchmark(bitsList, samples, threads);
            return 0;
        }

        if (challenge is null)
        {
            Console.Error.WriteLine(Usage);
            return 1;
        }

        (string token, int bits) = ProofOfWorkSolver.ParseChallenge(challenge);
        string nonce = ProofOfWorkSolver.Solve(token, bits, CancellationToken.None, threads);
        Console.WriteLine(ProofOfWorkSolver.ProofHeader(token, nonce));
        return 0;
    }

    private static void Benchmark(int[] bitsList, int samples, int threads)
    {
        double rate = ProofOfWorkSolver.MeasureHashRate(TimeSpan.FromSeconds(2), threads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SHA-256 hash rate: {rate:N0} hashes/s ({threads} thread(s), {Environment.ProcessorCount} processors)"));
        Console.WriteLine("bits  measured_mean_s  expected_s(2^bits/rate)");
        foreach (int bits in bitsList)
        {
            double total = 0;
            for (int s = 0; s < samples; s++)
            {
                string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                long start = Stopwatch.GetTimestamp();
                ProofOfWorkSolver.Solve(token, bits, CancellationToken.None, threads);
                total += Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{bits,4}  {total / samples,15:F4}  {Math.Pow(2, bits) / rate,10:F4}"));
        }

        Console.WriteLine("Calibration: one { \"Bits\": b, \"Seconds\": expected_s } entry per row under GenSafety:Enforcement:ProofOfWork:Calibration.");
    }
}
