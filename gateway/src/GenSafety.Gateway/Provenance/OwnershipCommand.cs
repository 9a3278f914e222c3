using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The ownership test on the command line (the gateway's executable, first argument <c>ownership-test</c>):
/// <c>ownership-test --tenant T --in outputs.jsonl [--model M] [--out report.json] [--GenSafety:Watermarking:MasterKeyFile=F ...]</c>.
/// The outputs file holds one suspect output per line (a JSON string or an object with <c>text</c>); the watermark
/// settings come from the gateway's own configuration (appsettings.json, <c>GenSafety__…</c> environment variables,
/// <c>--GenSafety:…=value</c> arguments), so the command tests with exactly the keys the gateway marks with. Prints the
/// same JSON as <c>POST /admin/ownership/test</c>. Exit status: 0 tested (whatever the verdict), 2 bad arguments,
/// files or watermark settings.
/// </summary>
public static class OwnershipCommand
{
    /// <summary>The verb.</summary>
    public const string Verb = "ownership-test";

    /// <summary>Whether the arguments ask for this command.</summary>
    public static bool IsRequested(string[] args) => args is { Length: > 0 } && args[0] == Verb;

    /// <summary>Runs the command; returns the exit status.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        try
        {
            var (options, settings) = Parse(args.Skip(1));
            var texts = ReadTexts(Required(options, "in"));
            var request = new OwnershipRequest(Required(options, "tenant"), texts, options.GetValueOrDefault("model"));
            using var services = Services(settings);
            var schemes = services.GetRequiredService<ProvenanceSchemes>();
            var result = OwnershipTest.Run(schemes, request);
            using var buffer = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                OwnershipTest.Write(writer, result);
            }

            var json = Encoding.UTF8.GetString(buffer.ToArray());
            if (options.TryGetValue("out", out var file))
            {
                await File.WriteAllTextAsync(file, json, cancellationToken);
            }

            await output.WriteLineAsync(json);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or JsonException or FormatException or UnauthorizedAccessException
            or OptionsValidationException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"ownership-test: {ex.Message}");
            return 2;
        }
    }

    // The gateway's configuration sources, provenance forced on (the command needs the keys), and its services.
    private static ServiceProvider Services(IEnumerable<string> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. settings])
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>(ProvenanceOptions.SectionName + ":Enabled", "true")])
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProvenance(configuration);
        return services.BuildServiceProvider();
    }

    private static List<string> ReadTexts(string path)
    {
        var texts = File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!
                : throw new FormatException($"{path}: every line must be a JSON string or an object with a 'text' string.")).ToList();
        return texts.Count > 0 ? texts : throw new FormatException($"{path} holds no outputs.");
    }

    private static string Required(Dictionary<string, string> options, string name)
        => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    // --name value pairs of the command; --Section:Key=value (a ':' in the name) are configuration settings.
    private static (Dictionary<string, string> Options, List<string> Settings) Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{list[i]}'.");
            }

            if (list[i].Contains(':', StringComparison.Ordinal))
            {
                settings.Add(list[i]);
                continue;
            }

            if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{list[i]} needs a value.");
            }

            options[list[i][2..]] = list[++i];
        }

        return (options, settings);
    }
}
