using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Images;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Non-streamed <c>/v1/images/generations</c> responses: marks every <c>b64_json</c> image with <c>image-qim</c> under the
/// tenant's live image key (a fresh random 64-bit id per image, same format out as in), queues one ledger record per
/// image (id <c>img_</c> + the mark's id, SHA-256 of the delivered bytes, PDQ hash of the marked pixels) and sets
/// <c>x-gensafety-receipt</c>: one receipt per marked image, in <c>data</c> order, comma-separated (as for text
/// choices). Images returned as a <c>url</c> are not fetched, so pass unmarked (counted). An image that cannot be
/// decoded or marked passes through unchanged, unrecorded and without a receipt (logged without content, counted):
/// the request never fails because of the mark. Registered after the memorization filter, which sees unmarked images.
/// </summary>
internal sealed class ImageProvenanceTransform : IJsonResponseTransform
{
    /// <summary>Transform name.</summary>
    public const string TransformName = "provenance-image";

    private readonly ProvenanceSchemes _schemes;
    private readonly ProvenanceRecorder _recorder;
    private readonly ProvenanceMetrics _metrics;
    private readonly ILogger<ImageProvenanceTransform> _logger;

    public ImageProvenanceTransform(ProvenanceSchemes schemes, ProvenanceRecorder recorder, ProvenanceMetrics metrics, ILogger<ImageProvenanceTransform> logger)
    {
        _schemes = schemes;
        _recorder = recorder;
        _metrics = metrics;
        _logger = logger;
    }

    public string Name => TransformName;

    public bool AppliesTo(JsonResponseContext context)
        => _schemes.ImagesEnabled && context.StatusCode is >= 200 and < 300 && context.Request.RouteKind == RouteKinds.ImagesGenerations;

    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        if (http.Features.Get<ClientIdentity>() is not { } identity)
        {
            return ValueTask.CompletedTask;
        }

        var key = _schemes.KeyRing!.Current(identity.Tenant, KeyPurpose.Image);
        var mark = new ResponseMark(identity.Tenant, ImageWatermarkDetector.Name, key.Kid);
        var model = context.Body is JsonObject body && body["model"] is JsonValue m && m.TryGetValue<string>(out var name)
            ? name : ResponseMarks.RequestModel(context.Request);
        var receipts = new List<string>();
        foreach (var (index, item, b64) in B64JsonImages.Items(context.Body))
        {
            if (b64 is null)
            {
                _metrics.Image(ProvenanceMetrics.ImageUrl);
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            if (!TryMark(index, b64, key, out var marked))
            {
                _metrics.Image(ProvenanceMetrics.ImageUnreadable);
                continue;
            }

            var delivered = marked.Image;
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(delivered));
            var pixels = marked.MarkedPixels!;
            var pdq = PdqHasher.HashRgba(pixels.Pixels, pixels.Width, pixels.Height).Hash;
            item["b64_json"] = Convert.ToBase64String(delivered);
            receipts.Add(_recorder.RecordImage(mark, ImageRecordIds.Format(marked.RecordId), http.TraceIdentifier, model, sha256, pdq));
            _metrics.Image(ProvenanceMetrics.ImageMarked, Stopwatch.GetElapsedTime(started));
        }

        if (receipts.Count > 0 && _schemes.Options.Receipts)
        {
            http.Response.Headers[ResponseMarks.ReceiptHeader] = string.Join(", ", receipts);
            _metrics.Receipts("header", receipts.Count);
        }

        return ValueTask.CompletedTask;
    }

    private bool TryMark(int index, string b64, WatermarkKey key, out ImageWatermarkResult marked)
    {
        marked = null!;
        if (!B64JsonImages.TryDecode(b64, out var bytes))
        {
            ProvenanceLog.ImageUnmarkable(_logger, index, "not base64");
            return false;
        }

        try
        {
            marked = _schemes.ImageEmbedder!.Embed(bytes, key);
            return true;
        }
        catch (InvalidImageException ex)
        {
            ProvenanceLog.ImageUnmarkable(_logger, index, ex.Reason.ToString());
            return false;
        }
    }
}
