using System.Text;
using System.Text.Json;

namespace GenSafety.ReferenceModel.Images;

/// <summary>The image prompts the model has "memorized": compared case-insensitively, whitespace collapsed.</summary>
internal sealed class ImagePromptSet
{
    /// <summary>Shipped default list (JSON array of strings) in the data folder.</summary>
    public const string DefaultFile = "memorized-images.json";

    private readonly HashSet<string> _prompts;

    public ImagePromptSet(IEnumerable<string> prompts)
    {
        _prompts = new HashSet<string>(prompts.Select(Normalize).Where(p => p.Length > 0), StringComparer.Ordinal);
    }

    public int Count => _prompts.Count;

    /// <summary>The configured list, or the shipped one when none is configured.</summary>
    public static ImagePromptSet Load(ReferenceModelOptions options, string dataDirectory)
    {
        if (options.MemorizedImagePrompts is { } configured)
        {
            return new ImagePromptSet(configured);
        }

        var json = File.ReadAllText(Path.Combine(dataDirectory, DefaultFile));
        return new ImagePromptSet(JsonSerializer.Deserialize(json, ImageJsonContext.Default.StringArray) ?? []);
    }

    public bool Contains(string prompt) => _prompts.Contains(Normalize(prompt));

    /// <summary>Lower-cased, trimmed, runs of whitespace collapsed to one space.</summary>
    public static string Normalize(string prompt)
    {
        var builder = new StringBuilder(prompt.Length);
        foreach (var c in prompt.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
