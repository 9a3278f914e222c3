using System.Globalization;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Detection.Learned;

namespace GenSafety.Detectors.Training.Dataset;

/// <summary>
/// The dataset file: UTF-8 JSON lines, a header first (<c>format</c>, <c>version</c>, seed, size, window, the feature
/// names), then one row per client step. A file whose format version or feature list differs from this build's is
/// refused, so a model is never trained on features the gateway does not compute.
/// </summary>
internal static class DatasetFile
{
    /// <summary>Format name in the header.</summary>
    public const string Format = "gensafety-learned-dataset";

    /// <summary>Format version; bump when the row layout or the feature definitions change.</summary>
    public const int Version = 2;

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, LearnedDataset dataset)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine(JsonSerializer.Serialize(new Header(Format, Version, dataset.Seed, dataset.Size, dataset.Window, [.. LearnedFeatures.Names])));
        var text = new StringBuilder();
        foreach (var row in dataset.Rows)
        {
            text.Clear();
            text.Append(JsonSerializer.Serialize(new { campaign = row.Campaign, client = row.Client, family = row.Family, attack = row.Attack, requests = row.Requests, analytic = Math.Round(row.AnalyticRisk, 6) }));
            text.Length--;
            text.Append(",\"x\":[");
            for (var i = 0; i < row.Window.Length; i++)
            {
                text.Append(i == 0 ? string.Empty : ",").Append(row.Window[i].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write(text.Append("]}").Append('\n'));
        }
    }

    /// <summary>Reads a dataset written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not a dataset of this version and feature list.</exception>
    public static LearnedDataset Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = JsonSerializer.Deserialize<Header>(reader.ReadLine() ?? string.Empty)
            ?? throw new InvalidDataException($"{path}: no header.");
        if (header.format != Format || header.version != Version)
        {
            throw new InvalidDataException($"{path}: format {header.format} v{header.version}, expected {Format} v{Version}.");
        }

        if (!header.features.SequenceEqual(LearnedFeatures.Names))
        {
            throw new InvalidDataException($"{path}: its features differ from this build's ({string.Join(',', LearnedFeatures.Names)}); rebuild the dataset.");
        }

        var rows = new List<DatasetRow>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var x = root.GetProperty("x");
            var window = new float[x.GetArrayLength()];
            var i = 0;
            foreach (var value in x.EnumerateArray())
            {
                window[i++] = value.GetSingle();
            }

            rows.Add(new DatasetRow(
                root.GetProperty("campaign").GetString()!, root.GetProperty("client").GetString()!, root.GetProperty("family").GetString()!,
                root.GetProperty("attack").GetBoolean(), root.GetProperty("requests").GetInt32(), root.GetProperty("analytic").GetDouble(), window));
        }

        return new LearnedDataset(header.seed, header.size, header.window, rows);
    }

#pragma warning disable IDE1006, SA1300 // JSON names of the header.
    private sealed record Header(string format, int version, ulong seed, string size, int window, string[] features);
#pragma warning restore IDE1006, SA1300
}

/// <summary>A dataset in memory.</summary>
/// <param name="Seed">Seed it was made from.</param>
/// <param name="Size">Size preset.</param>
/// <param name="Window">Steps per window.</param>
/// <param name="Rows">Client steps.</param>
internal sealed record LearnedDataset(ulong Seed, string Size, int Window, IReadOnlyList<DatasetRow> Rows);
