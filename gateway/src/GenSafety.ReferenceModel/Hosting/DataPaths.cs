namespace GenSafety.ReferenceModel.Hosting;

/// <summary>Where the shipped data lives.</summary>
internal static class DataPaths
{
    /// <summary>Name of the data folder in the build output.</summary>
    public const string FolderName = "ReferenceModelData";

    /// <summary><see cref="ReferenceModelOptions.DataDirectory"/>, or the data folder next to the application's assemblies.</summary>
    public static string Resolve(ReferenceModelOptions options) =>
        string.IsNullOrWhiteSpace(options.DataDirectory) ? Path.Combine(AppContext.BaseDirectory, FolderName) : options.DataDirectory;
}
