using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// The error-correcting code: a 96-bit message (64-bit record id ‖ 32-bit keyed tag = HMAC-SHA256(key, id)),
/// each bit repeated on <see cref="Repetitions"/> keyed sites and soft-combined, then list-decoded: the id bits
/// read least reliably are flipped in every combination (a Chase-style list) and the candidate whose tag best
/// matches the tag sites wins. The tag sites never influence which id is chosen except through that match, and
/// under the null they read fair coins, so the agreement count of any one candidate is Binomial(tag sites, ½);
/// the list's size is paid for with a Bonferroni factor.
/// </summary>
internal static class PayloadCode
{
    public const int IdBits = 64;
    public const int TagBits = 32;
    public const int MessageBits = IdBits + TagBits;
    public const int Repetitions = CoefficientSites.Count / MessageBits;
    public const int TagSites = TagBits * Repetitions;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("gensafety.image.tag.v1");

    /// <summary>The keyed tag of <paramref name="recordId"/>.</summary>
    public static uint Tag(ReadOnlySpan<byte> keyMaterial, ulong recordId)
    {
        Span<byte> input = stackalloc byte[32];
        Label.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[Label.Length..], recordId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(keyMaterial, input[..(Label.Length + 8)], mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }

    /// <summary>Bit <paramref name="index"/> of the message (id bits first, most significant first).</summary>
    public static int Bit(ulong recordId, uint tag, int index) =>
        index < IdBits ? (int)((recordId >> (IdBits - 1 - index)) & 1) : (int)((tag >> (TagBits - 1 - (index - IdBits))) & 1);

    /// <summary>
    /// List decoding. <paramref name="idScores"/>: per id bit, the sum of its sites' soft values (positive = 0).
    /// <paramref name="tagOnes"/>: per tag bit, how many of its sites read 1. Returns the candidate id whose tag
    /// agrees with the most tag sites, that agreement, and the number of candidates tried.
    /// </summary>
    public static (ulong RecordId, int Agreement, int Candidates) Decode(
        ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<float> idScores, ReadOnlySpan<int> tagOnes, int listBits)
    {
        var hard = 0UL;
        for (var i = 0; i < IdBits; i++)
        {
            if (idScores[i] < 0)
            {
                hard |= 1UL << (IdBits - 1 - i);
            }
        }

        Span<int> order = stackalloc int[IdBits];
        Span<float> reliability = stackalloc float[IdBits];
        for (var i = 0; i < IdBits; i++)
        {
            order[i] = i;
            reliability[i] = Math.Abs(idScores[i]);
        }

        reliability.Sort(order);
        var candidates = 1 << listBits;
        var bestId = hard;
        var bestAgreement = -1;
        for (var m = 0; m < candidates; m++)
        {
            var candidate = hard;
            for (var b = 0; b < listBits; b++)
            {
                if ((m & (1 << b)) != 0)
                {
                    candidate ^= 1UL << (IdBits - 1 - order[b]);
                }
            }

            var agreement = Agreement(Tag(keyMaterial, candidate), tagOnes);
            if (agreement > bestAgreement)
            {
                (bestId, bestAgreement) = (candidate, agreement);
            }
        }

        return (bestId, bestAgreement, candidates);
    }

    /// <summary>Tag sites whose reading matches <paramref name="tag"/>.</summary>
    public static int Agreement(uint tag, ReadOnlySpan<int> tagOnes)
    {
        var agreement = 0;
        for (var j = 0; j < TagBits; j++)
        {
            var bit = (tag >> (TagBits - 1 - j)) & 1;
            agreement += bit == 1 ? tagOnes[j] : Repetitions - tagOnes[j];
        }

        return agreement;
    }

    /// <summary>Number of differing bits between two ids.</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);
}
