using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.LoadTests.ProofOfWork;

/// <summary>
/// Reference solver for the gateway's proof-of-work challenge (docs/proof-of-work.md): finds an ASCII nonce such that
/// SHA-256(token ":" nonce) starts with <c>bits</c> zero bits. Each thread owns a nonce of the form
/// <c>{thread letter}{15 decimal digits}</c>, incremented in place in a stack buffer: no allocation per attempt.
/// Self-contained (no gateway reference) so client authors can copy it; the gateway tests link this file.
/// </summary>
public static class ProofOfWorkSolver
{
    /// <summary>Longest token the solver accepts (the gateway issues far shorter ones).</summary>
    public const int MaxTokenLength = 512;

    private const int DigitCount = 15;
    private const string ThreadLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Parses an <c>x-gensafety-challenge</c> value (<c>&lt;token&gt;; bits=&lt;n&gt;</c>).</summary>
    public static (string Token, int Bits) ParseChallenge(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        string[] parts = headerValue.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[1].StartsWith("bits=", StringComparison.Ordinal)
            || !int.TryParse(parts[1].AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bits))
        {
            throw new FormatException("Expected '<token>; bits=<n>'.");
        }

        return (parts[0], bits);
    }

    /// <summary>The <c>x-gensafety-pow</c> value for a solved challenge.</summary>
    public static string ProofHeader(string token, string nonce) => token + ":" + nonce;

    /// <summary>Finds a nonce for <paramref name="token"/> with at least <paramref name="bits"/> leading zero bits.</summary>
    /// <param name="token">The challenge token.</param>
    /// <param name="bits">Leading zero bits asked for (1 to 64).</param>
    /// <param name="cancellationToken">Stops the search (throws <see cref="OperationCanceledException"/>).</param>
    /// <param name="threads">Worker threads; 0 = one per processor.</param>
    public static string Solve(string token, int bits, CancellationToken cancellationToken, int threads = 1) =>
        Solve(token, bits, threads, out _, cancellationToken);

    /// <summary>As <see cref="Solve(string, int, CancellationToken, int)"/>, also returning the number of hashes computed.</summary>
    public static string Solve(string token, int bits, int threads, out long hashes, CancellationToken cancellationToken)
    {
        string? nonce = TrySolve(token, bits, threads, out hashes, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return nonce ?? throw new InvalidOperationException("Nonce space exhausted.");
    }

    /// <summary>Hashes per second over about <paramref name="duration"/> (an impossible target, so it never stops early).</summary>
    public static double MeasureHashRate(TimeSpan duration, int threads = 1)
    {
        using var cts = new CancellationTokenSource(duration);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        TrySolve("benchmark-token.0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef", 64, threads, out long hashes, cts.Token);
        return hashes / watch.Elapsed.TotalSeconds;
    }

    private static string? TrySolve(string token, int bits, int threads, out long hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(token.Length, MaxTokenLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 64);
        int workers = Math.Clamp(threads <= 0 ? Environment.ProcessorCount : threads, 1, ThreadLetters.Length);
        byte[] prefix = Encoding.ASCII.GetBytes(token + ":");

        string? found = null;
        long total = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            string? nonce = Search(prefix, bits, ThreadLetters[worker], stop.Token, out long tried);
            Interlocked.Add(ref total, tried);
            if (nonce is not null && Interlocked.CompareExchange(ref found, nonce, null) is null)
            {
                stop.Cancel();
            }
        });

        hashes = total;
        return found;
    }

    private static string? Search(byte[] prefix, int bits, char letter, CancellationToken cancellationToken, out long tried)
    {
        int length = prefix.Length + 1 + DigitCount;
        Span<byte> input = stackalloc byte[MaxTokenLength + 2 + DigitCount];
        input = input[..length];
        prefix.CopyTo(input);
        input[prefix.Length] = (byte)letter;
        Span<byte> digits = input[(prefix.Length + 1)..];
        digits.Fill((byte)'0');
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        ulong mask = bits == 64 ? ulong.MaxValue : ~(ulong.MaxValue >> bits);
        tried = 0;
        while (true)
        {
            // Check for cancellation every 4,096 hashes: cheap, and still prompt.
            for (int i = 0; i < 4096; i++)
            {
                SHA256.TryHashData(input, hash, out _);
                if ((BinaryPrimitives.ReadUInt64BigEndian(hash) & mask) == 0)
                {
                    tried += i + 1;
                    return Encoding.ASCII.GetString(input[prefix.Length..]);
                }

                Increment(digits);
            }

            tried += 4096;
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    private static void Increment(Span<byte> digits)
    {
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            if (digits[i] != (byte)'9')
            {
                digits[i]++;
                return;
            }

            digits[i] = (byte)'0';
        }

        throw new InvalidOperationException("Nonce space exhausted.");
    }

    /// <summary>Leading zero bits of a hash (most significant bit of byte 0 first).</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        int bits = 0;
        foreach (byte b in hash)
        {
            if (b != 0)
            {
                return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }
}
