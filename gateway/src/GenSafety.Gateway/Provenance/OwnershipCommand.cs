using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The ownership test on the command line (the gateway's executable, first argument <c>ownership-test</c>):
/// <c>ownership-test --tenant T --in outputs.jsonl [--model M] [--out report.json] [--GenSafety:Watermarking:MasterKeyFile=F ...]</c>,
/// or, to collect the outputs from a suspect model's OpenAI-compatible endpoint (<see cref="OwnershipProbe"/>),
/// <c>--endpoint https://host/v1 --prompts prompts.jsonl [--api-key-file F] [--samples 1] [--max-tokens 256]
/// [--temperature 1] [--concurrency 4] [--save-outputs outputs.jsonl]</c> instead of <c>--in</c>.
/// The outputs file holds one suspect output per line (a JSON string or an object with <c>text</c>), the prompts
/// file one prompt per line (a JSON string or an object with <c>prompt</c>); the watermark
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
            var tenant = Required(options, "tenant");
            if (options.ContainsKey("endpoint") == options.ContainsKey("in"))
            {
                throw new ArgumentException("Give either --in (a file of outputs) or --endpoint with --prompts (a model to probe).");
            }

            using var services = Services(settings);
            var schemes = services.GetRequiredService<ProvenanceSchemes>();
            OwnershipProbeResult? probe = null;
            IReadOnlyList<string> texts;
            if (options.ContainsKey("endpoint"))
            {
                probe = await ProbeAsync(options, cancellationToken);
                texts = probe.Texts;
            }
            else
            {
                texts = ReadLines(Required(options, "in"), "text");
            }

            var result = OwnershipTest.Run(schemes, new OwnershipRequest(tenant, texts, options.GetValueOrDefault("model")));
            using var buffer = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                OwnershipTest.Write(writer, result, probe);
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
            or OptionsValidationException or InvalidOperationException or HttpRequestException)
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

    private static async Task<OwnershipProbeResult> ProbeAsync(Dictionary<string, string> options, CancellationToken cancellationToken)
    {
        var endpoint = Uri.TryCreate(options["endpoint"], UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException("--endpoint must be an absolute http or https URL (the OpenAI base URL, e.g. https://host/v1).");
        var apiKey = options.TryGetValue("api-key-file", out var keyFile)
            ? File.ReadLines(keyFile).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? throw new FormatException($"{keyFile} holds no key.")
            : null;
        var settings = new OwnershipProbeSettings(endpoint, apiKey, options.GetValueOrDefault("model"),
            Number(options, "samples", 1, 1, 1000), Number(options, "max-tokens", 256, 1, 32_768),
            Number(options, "temperature", 1.0, 0, 2), Number(options, "concurrency", 4, 1, 64));
        var prompts = ReadLines(Required(options, "prompts"), "prompt");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var probe = await new OwnershipProbe(http).CollectAsync(settings, prompts, cancellationToken);
        if (probe.Texts.Count == 0)
        {
            throw new InvalidOperationException($"The endpoint gave no usable output ({probe.Failed} of {probe.Requests} requests failed; the first: {probe.FirstFailure}).");
        }

        if (options.TryGetValue("save-outputs", out var save))
        {
            await File.WriteAllLinesAsync(save, probe.Texts.Select(t => JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = t })), cancellationToken);
        }

        return probe;
    }

    private static T Number<T>(Dictionary<string, string> options, string name, T fallback, T min, T max)
        where T : struct, System.Numerics.INumber<T>
    {
        if (!options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return T.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"--{name} must be a number from {min} to {max}.");
    }

    // One item per non-blank line: a JSON string, or an object with a string property named property.
    private static List<string> ReadLines(string path, string property)
    {
        var items = File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!
                : throw new FormatException($"{path}: every line must be a JSON string or an object with a '{property}' string.")).ToList();
        return items.Count > 0 ? items : throw new FormatException($"{path} holds nothing.");
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
