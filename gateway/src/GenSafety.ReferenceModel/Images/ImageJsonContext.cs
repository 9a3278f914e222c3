using System.Text.Json.Serialization;

namespace GenSafety.ReferenceModel.Images;

/// <summary>Source-generated JSON metadata for the shipped image data.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
