using System.Numerics.Tensors;
using GenSafety.Watermarking.Embeddings;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.Watermarking.Tests.Embeddings;

public sealed class KeyedRotationTests
{
    private const int Dimensions = 384;

    private static readonly WatermarkKeyRing Ring = TestKeys.Ring();

    private static float[] Vector(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    private static float[] Rotated(KeyedRotation rotation, float[] vector)
    {
        var copy = (float[])vector.Clone();
        rotation.Apply(copy);
        return copy;
    }

    [Fact]
    public void Rotation_KeepsEveryNormAndCosine_AndMovesTheVectors()
    {
        var rotation = KeyedRotation.Create(Ring.Permanent("acme", KeyPurpose.Embedding), Dimensions);
        var vectors = Enumerable.Range(0, 6).Select(Vector).ToArray();
        var rotated = vectors.Select(v => Rotated(rotation, v)).ToArray();

        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(TensorPrimitives.Norm(vectors[i]), TensorPrimitives.Norm(rotated[i]), 3);
            Assert.InRange(TensorPrimitives.CosineSimilarity(vectors[i], rotated[i]), -0.25f, 0.25f);
            for (var j = i + 1; j < vectors.Length; j++)
            {
                Assert.Equal(TensorPrimitives.CosineSimilarity(vectors[i], vectors[j]), TensorPrimitives.CosineSimilarity(rotated[i], rotated[j]), 4);
            }
        }
    }

    [Fact]
    public void Rows_AreOrthonormal()
    {
        var rotation = KeyedRotation.Create(Ring.Permanent("acme", KeyPurpose.Embedding), 64);
        var columns = Enumerable.Range(0, 64).Select(i =>
        {
            var basis = new float[64];
            basis[i] = 1;
            rotation.Apply(basis);
            return basis;
        }).ToArray();

        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                Assert.Equal(i == j ? 1 : 0, TensorPrimitives.Dot(columns[i], columns[j]), 4);
            }
        }
    }

    [Fact]
    public void SameKey_SameRotation_OtherTenantOrSecret_Unrelated()
    {
        var vector = Vector(1);
        var acme = Rotated(KeyedRotation.Create(Ring.Permanent("acme", KeyPurpose.Embedding), Dimensions), vector);
        var again = Rotated(KeyedRotation.Create(TestKeys.Ring().Permanent("acme", KeyPurpose.Embedding), Dimensions), vector);
        var globex = Rotated(KeyedRotation.Create(Ring.Permanent("globex", KeyPurpose.Embedding), Dimensions), vector);
        var foreignSecret = Rotated(KeyedRotation.Create(TestKeys.Ring(fill: 42).Permanent("acme", KeyPurpose.Embedding), Dimensions), vector);

        Assert.Equal(acme, again);
        Assert.InRange(TensorPrimitives.CosineSimilarity(acme, globex), -0.25f, 0.25f);
        Assert.InRange(TensorPrimitives.CosineSimilarity(acme, foreignSecret), -0.25f, 0.25f);
    }

    [Fact]
    public void PermanentKey_DoesNotRotateWithTheEpoch()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ring = TestKeys.Ring(clock);
        var before = ring.Permanent("acme", KeyPurpose.Embedding);
        clock.Now = clock.Now.AddDays(400);

        Assert.Equal(before.Kid, ring.Permanent("acme", KeyPurpose.Embedding).Kid);
        Assert.NotEqual(ring.Current("acme", KeyPurpose.Embedding).Kid, before.Kid);
    }

    [Fact]
    public void WrongLength_Throws()
        => Assert.Throws<ArgumentException>(() => KeyedRotation.Create(Ring.Permanent("acme", KeyPurpose.Embedding), 8).Apply(new float[9]));
}
