using GenSafety.Detectors.Randomness;
using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Images;

/// <summary>
/// <c>POST /v1/images/generations</c>: procedural PNGs from (prompt, seed, size). Memorized prompts ignore the
/// seed and always return their "training image".
/// </summary>
internal sealed class ImagesEndpoint
{
    /// <summary>Seed of every memorized prompt's training image.</summary>
    public const long MemorizedSeed = 0;

    private readonly ReferenceModelOptions _options;
    private readonly Lazy<ImagePromptSet> _memorized;

    public ImagesEndpoint(IOptions<ReferenceModelOptions> options)
    {
        _options = options.Value;
        _memorized = new Lazy<ImagePromptSet>(() => ImagePromptSet.Load(_options, DataPaths.Resolve(_options)));
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = await JsonBody.ParseAsync(context, _options.MaxRequestBodyBytes, root => ImageRequest.Parse(root));

        var memorized = _memorized.Value.Contains(request.Prompt);
        var baseSeed = request.Seed ?? Random.Shared.NextInt64();
        using var json = new PooledJson();
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteNumber("created", ResponseIds.Created());
        writer.WriteStartArray("data");
        for (var i = 0; i < request.N; i++)
        {
            context.RequestAborted.ThrowIfCancellationRequested();
            var png = memorized
                ? ProceduralImageRenderer.RenderPng(ImagePromptSet.Normalize(request.Prompt), MemorizedSeed, request.Size)
                : ProceduralImageRenderer.RenderPng(request.Prompt, (long)DeterministicRandom.Derive(baseSeed, i), request.Size);
            writer.WriteStartObject();
            writer.WriteBase64String("b64_json", png);
            writer.WriteString("revised_prompt", request.Prompt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        context.Response.ContentType = "application/json";
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }
}
