using GenSafety.Detectors.Images;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Checks every <c>b64_json</c> image of an <c>/v1/images/generations</c> response against the protected-image index:
/// its PDQ hash against all eight symmetries of each protected image; within
/// <see cref="MemorizationOptions.ImageMaxHammingDistance"/> bits the response is blocked (<c>451 output_blocked</c>)
/// or, with <c>replace</c>, that image is replaced by a blank grey PNG of the same size. An image that cannot be
/// decoded is withheld rather than passed unchecked. Images returned as <c>url</c> are not fetched, so not checked.
/// With <see cref="MemorizationOptions.ImagePromptCheck"/> the response's images are also compared with each other and
/// with those generated for the same prompt before (<see cref="ImagePromptMemory"/>): pictures that stay the same
/// across <c>n</c> or seeds show a memorised prompt, reported as the <c>memorized_image_prompt</c> risk signal.
/// </summary>
public sealed class MemorizationImageTransform : IJsonResponseTransform
{
    /// <summary>What a blocked client is told (never which image).</summary>
    public const string BlockedMessage = "The generated image reproduces a protected image and was withheld.";

    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationOptions _options;
    private readonly MemorizationMetrics _metrics;
    private readonly MemorizationPromptCheck _prompts;
    private readonly ImagePromptMemory _memory;
    private readonly ILogger<MemorizationImageTransform> _logger;

    /// <summary>Creates the transform.</summary>
    public MemorizationImageTransform(
        ProtectedCorpus corpus, IOptions<MemorizationOptions> options, MemorizationMetrics metrics, MemorizationPromptCheck prompts, ImagePromptMemory memory,
        ILogger<MemorizationImageTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _corpus = corpus;
        _prompts = prompts;
        _memory = memory;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => MemorizationJsonTransform.TransformName;

    /// <inheritdoc />
    public bool AppliesTo(JsonResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _options.Enabled && context.StatusCode is >= 200 and < 300
            && context.Request.RouteKind == RouteKinds.ImagesGenerations && (_corpus.Images.Count > 0 || _options.ImagePromptCheck);
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        UnreadableResponse.ApplyOrBlock(context, Apply, _logger, Name);
        return ValueTask.CompletedTask;
    }

    private void Apply(JsonResponseContext context)
    {
        var index = _corpus.Images;
        var identity = context.HttpContext.Features.Get<ClientIdentity>();
        var hashes = new List<PdqHash>();
        foreach (var (i, item, b64) in B64JsonImages.Items(context.Body))
        {
            if (b64 is null)
            {
                continue;
            }

            _metrics.Checked("image");
            if (!TryHash(b64, out var hash, out var bytes))
            {
                MemorizationLog.ResponseUnreadable(_logger, RouteKinds.ImagesGenerations);
                context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse, "The upstream returned an image the gateway could not check.", Name);
                return;
            }

            hashes.Add(hash);
            if (index.Count == 0 || index.FindNearest(hash) is not { IsNearDuplicate: true } match)
            {
                continue;
            }

            _metrics.Hit("image");
            _metrics.Blocked(_options.ImageAction);
            MemorizationLog.ImageHit(_logger, i, match.Distance, match.ImageId, identity?.ClientId ?? "unknown", identity?.Tenant ?? "unknown", _options.ImageAction);
            if (_options.ImageAction == MemorizationActions.Block)
            {
                context.Block(MemorizationJsonTransform.BlockedStatus, ErrorCodes.OutputBlocked, BlockedMessage, Name);
                return;
            }

            item["b64_json"] = Convert.ToBase64String(BlankLike(bytes));
            item.Remove("revised_prompt");
        }

        if (_options.ImagePromptCheck)
        {
            CheckPrompt(context, identity, hashes);
        }
    }

    // The same picture for n > 1, or again for another seed: a memorised prompt.
    private void CheckPrompt(JsonResponseContext context, ClientIdentity? identity, List<PdqHash> hashes)
    {
        if (context.Request.Json is not { RootElement: { ValueKind: System.Text.Json.JsonValueKind.Object } root }
            || !root.TryGetProperty("prompt", out var promptNode) || promptNode.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return;
        }

        long? seed = root.TryGetProperty("seed", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
        var sameInResponse = ProtectedImageIndex.AreNearIdentical(hashes, _options.ImagePromptMaxDistance);
        var sameAsBefore = _memory.RecordAndCompare(identity?.Tenant ?? string.Empty, promptNode.GetString()!, seed, hashes);
        if (sameInResponse || sameAsBefore)
        {
            _prompts.MemorizedImagePrompt(identity, sameInResponse ? "the n images of one request" : "requests with other seeds");
        }
    }

    private static bool TryHash(string b64, out PdqHash hash, out byte[] bytes)
    {
        hash = default;
        if (!B64JsonImages.TryDecode(b64, out bytes))
        {
            return false;
        }

        try
        {
            hash = PdqHasher.Hash(bytes).Hash;
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // A flat grey PNG with the dimensions of the image it replaces.
    private static byte[] BlankLike(byte[] image)
    {
        var info = SKBitmap.DecodeBounds(image);
        using var bitmap = new SKBitmap(new SKImageInfo(Math.Max(1, info.Width), Math.Max(1, info.Height), SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(128, 128, 128));
        using var encoded = SKImage.FromBitmap(bitmap);
        using var png = encoded.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
