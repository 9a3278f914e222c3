using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Shapes requests. For a degraded client (L2): caps <c>top_logprobs</c> (chat) and <c>logprobs</c> (completions),
/// strips or refuses <c>logit_bias</c>, clamps <c>n</c>, <c>best_of</c>, <c>max_tokens</c> and
/// <c>max_completion_tokens</c>, and bounds chat output that the client left unbounded. For every client, when
/// <see cref="ApiSurfaceShapingOptions.DropTopLogprobsWithLogitBias"/> is on: drops the top-logprob alternatives of
/// requests that carry <c>logit_bias</c>; when <see cref="ApiSurfaceShapingOptions.PreBiasLogprobsField"/> is set, adds
/// that flag to requests that carry <c>logit_bias</c> and ask for logprobs. Pure: it reads the parsed body and returns new bytes; every untouched
/// field is copied byte for byte from the original.
/// </summary>
public sealed class DegradeRequestShaper
{
    private const string LogitBiasMessage =
        "logit_bias is not available to this client at the moment; send the request without it.";

    private readonly DegradeOptions _options;
    private readonly bool _dropTopLogprobs;
    private readonly string? _preBiasField;
    private readonly byte[] _preBiasValue;

    /// <summary>Creates the shaper with the configured degrade options (no shaping of undegraded requests).</summary>
    public DegradeRequestShaper(IOptions<DegradeOptions> options)
        : this(options, Options.Create(new ApiSurfaceShapingOptions()))
    {
    }

    /// <summary>Creates the shaper with the configured degrade and API-surface options.</summary>
    public DegradeRequestShaper(IOptions<DegradeOptions> options, IOptions<ApiSurfaceShapingOptions> apiSurface)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(apiSurface);
        _options = options.Value;
        _dropTopLogprobs = apiSurface.Value.DropTopLogprobsWithLogitBias;
        _preBiasField = string.IsNullOrEmpty(apiSurface.Value.PreBiasLogprobsField) ? null : apiSurface.Value.PreBiasLogprobsField;
        _preBiasValue = System.Text.Encoding.UTF8.GetBytes(apiSurface.Value.PreBiasLogprobsValue);
    }

    /// <summary>Whether requests of clients that are not degraded may change too (and so must go through <see cref="Shape(ProxyRequest, bool)"/>).</summary>
    public bool ShapesUndegraded => _dropTopLogprobs || _preBiasField is not null;

    /// <summary>Shapes <paramref name="request"/> of a degraded client with the configured options.</summary>
    public DegradeShapingResult Shape(ProxyRequest request) => Shape(request, degrade: true);

    /// <summary>Shapes <paramref name="request"/>: with the degrade caps when <paramref name="degrade"/>, and with the API-surface rules always.</summary>
    public DegradeShapingResult Shape(ProxyRequest request, bool degrade)
        => Shape(request, new RequestShapingRules(degrade ? _options : null, _dropTopLogprobs)
        {
            PreBiasLogprobsField = _preBiasField,
            PreBiasLogprobsValue = _preBiasValue,
        });

    /// <summary>Shapes <paramref name="request"/> of a degraded client with <paramref name="options"/>.</summary>
    public static DegradeShapingResult Shape(ProxyRequest request, DegradeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Shape(request, new RequestShapingRules(options, false));
    }

    /// <summary>
    /// Shapes <paramref name="request"/> by <paramref name="rules"/>: chat completions, completions and image
    /// generations may change; embeddings and every other route are <see cref="DegradeShapingResult.Unchanged"/>.
    /// </summary>
    public static DegradeShapingResult Shape(ProxyRequest request, RequestShapingRules rules)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rules);
        if (request.Json is not { RootElement.ValueKind: JsonValueKind.Object } json
            || request.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.ImagesGenerations)
            || (rules.Degrade is null && !rules.DropTopLogprobsWithLogitBias && rules.PreBiasLogprobsField is null))
        {
            return DegradeShapingResult.Unchanged;
        }

        var root = json.RootElement;
        var fields = TokenFields.Of(request.RouteKind, root, rules);
        List<string>? changes = null;
        foreach (var property in root.EnumerateObject())
        {
            var edit = Decide(request.RouteKind, property, rules.Degrade, fields);
            if (edit.Kind == EditKind.Reject)
            {
                return DegradeShapingResult.Rejected(new DegradeRejection(
                    StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "logit_bias", LogitBiasMessage));
            }

            if (edit.Change is { } change && !(changes ??= []).Contains(change))
            {
                changes.Add(change);
            }
        }

        if (fields.AddsCompletionTokens)
        {
            (changes ??= []).Add(DegradeChanges.MaxCompletionTokensSet);
        }

        if (fields.PreBiasField is not null)
        {
            (changes ??= []).Add(DegradeChanges.PreBiasLogprobs);
        }

        return changes is null
            ? DegradeShapingResult.Unchanged
            : DegradeShapingResult.Rewritten(Write(request, rules, fields), changes);
    }

    private static byte[] Write(ProxyRequest request, RequestShapingRules rules, TokenFields fields)
    {
        var options = rules.Degrade;
        var buffer = new ArrayBufferWriter<byte>(request.Body.Length + 48);
        buffer.Write("{"u8);
        var first = true;
        foreach (var property in request.Json!.RootElement.EnumerateObject())
        {
            var edit = Decide(request.RouteKind, property, options, fields);
            if (edit.Kind == EditKind.Remove)
            {
                continue;
            }

            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            // Names are copied raw (escapes included), so a replaced field keeps the exact key the client sent.
            WriteName(buffer, JsonMarshal.GetRawUtf8PropertyName(property));
            if (edit.Kind == EditKind.Replace)
            {
                WriteInteger(buffer, edit.Value);
            }
            else
            {
                buffer.Write(JsonMarshal.GetRawUtf8Value(property.Value));
            }
        }

        if (fields.AddsCompletionTokens)
        {
            if (!first)
            {
                buffer.Write(","u8);
            }

            WriteName(buffer, "max_completion_tokens"u8);
            WriteInteger(buffer, options!.MaxTokens);
            first = false;
        }

        if (fields.PreBiasField is { } field)
        {
            if (!first)
            {
                buffer.Write(","u8);
            }

            WriteName(buffer, System.Text.Encoding.UTF8.GetBytes(field));
            buffer.Write(rules.PreBiasLogprobsValue);
        }

        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteName(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> rawName)
    {
        buffer.Write("\""u8);
        buffer.Write(rawName);
        buffer.Write("\":"u8);
    }

    private static void WriteInteger(ArrayBufferWriter<byte> buffer, int value)
    {
        value.TryFormat(buffer.GetSpan(11), out var written);
        buffer.Advance(written);
    }

    // Called once to plan and once to write; it must depend only on its arguments. options: null unless degrading.
    private static Edit Decide(string routeKind, JsonProperty property, DegradeOptions? options, TokenFields fields)
    {
        if (fields.PreBiasField is { } field && property.NameEquals(field))
        {
            // The client's own value of the flag gives way to the configured one, written at the end.
            return new Edit(EditKind.Remove, 0, null);
        }

        if (fields.DropsTopLogprobs)
        {
            if (routeKind == RouteKinds.ChatCompletions && property.NameEquals("top_logprobs"u8))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? default : new Edit(EditKind.Remove, 0, DegradeChanges.TopLogprobsDropped);
            }

            if (routeKind == RouteKinds.Completions && property.NameEquals("logprobs"u8))
            {
                return Clamp(property.Value, 0, DegradeChanges.TopLogprobsDropped);
            }
        }

        return options is null ? default : DecideDegrade(routeKind, property, options, fields);
    }

    private static Edit DecideDegrade(string routeKind, JsonProperty property, DegradeOptions options, TokenFields fields)
    {
        var value = property.Value;
        if (property.NameEquals("n"u8))
        {
            return Clamp(value, options.MaxN, DegradeChanges.NClamped);
        }

        if (routeKind == RouteKinds.ImagesGenerations)
        {
            return default;
        }

        if (property.NameEquals("logit_bias"u8))
        {
            return value.ValueKind == JsonValueKind.Object && value.EnumerateObject().MoveNext()
                ? new Edit(options.LogitBias == LogitBiasMode.Reject ? EditKind.Reject : EditKind.Remove, 0, DegradeChanges.LogitBiasStripped)
                : default;
        }

        if (property.NameEquals("max_tokens"u8))
        {
            return Tokens(value, options.MaxTokens, DegradeChanges.MaxTokensClamped,
                fields.DropsNullMaxTokens ? null : DegradeChanges.MaxTokensSet);
        }

        if (routeKind == RouteKinds.ChatCompletions)
        {
            if (property.NameEquals("top_logprobs"u8))
            {
                return Clamp(value, options.MaxTopLogprobs, DegradeChanges.TopLogprobsCapped);
            }

            if (property.NameEquals("max_completion_tokens"u8))
            {
                return Tokens(value, options.MaxTokens, DegradeChanges.MaxCompletionTokensClamped, DegradeChanges.MaxCompletionTokensSet);
            }

            return default;
        }

        if (property.NameEquals("logprobs"u8))
        {
            return Clamp(value, options.MaxTopLogprobs, DegradeChanges.LogprobsCapped);
        }

        return property.NameEquals("best_of"u8) ? Clamp(value, options.MaxN, DegradeChanges.BestOfClamped) : default;
    }

    private static Edit Clamp(JsonElement value, int max, string change)
        => value.ValueKind == JsonValueKind.Number && value.GetDouble() > max ? new Edit(EditKind.Replace, max, change) : default;

    // A null token limit means "the model's maximum", so it is never forwarded: it becomes the cap, or is dropped
    // when setChange is null (a sibling max_completion_tokens carries the bound).
    private static Edit Tokens(JsonElement value, int max, string clampChange, string? setChange)
    {
        if (value.ValueKind != JsonValueKind.Null)
        {
            return Clamp(value, max, clampChange);
        }

        return setChange is null ? new Edit(EditKind.Remove, 0, null) : new Edit(EditKind.Replace, max, setChange);
    }

    private enum EditKind
    {
        Keep,
        Remove,
        Replace,
        Reject,
    }

    private readonly record struct Edit(EditKind Kind, int Value, string? Change);

    /// <summary>Which token-limit fields the request has (checked once per request, duplicates included).</summary>
    /// <param name="AddsCompletionTokens">Degraded chat without either field: <c>max_completion_tokens</c> is appended.</param>
    /// <param name="DropsNullMaxTokens">
    /// Chat with a <c>max_completion_tokens</c>: a <c>null</c> <c>max_tokens</c> is removed rather than set, so
    /// the upstream never gets both limits from us (reasoning models refuse <c>max_tokens</c>).
    /// </param>
    /// <param name="DropsTopLogprobs">
    /// An undegraded request with a non-empty <c>logit_bias</c> under <see cref="RequestShapingRules.DropTopLogprobsWithLogitBias"/>
    /// (a degraded one loses the bias itself).
    /// </param>
    /// <param name="PreBiasField">
    /// The pre-bias-logprobs flag to add: an undegraded request with a non-empty <c>logit_bias</c> and logprobs (chat
    /// <c>logprobs: true</c> or <c>top_logprobs</c>; completions <c>logprobs</c>) under
    /// <see cref="RequestShapingRules.PreBiasLogprobsField"/>; null otherwise.
    /// </param>
    private readonly record struct TokenFields(bool AddsCompletionTokens, bool DropsNullMaxTokens, bool DropsTopLogprobs, string? PreBiasField)
    {
        public static TokenFields Of(string routeKind, JsonElement root, RequestShapingRules rules)
        {
            var biased = rules.Degrade is null
                && root.TryGetProperty("logit_bias"u8, out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().MoveNext();
            var dropsTopLogprobs = biased && rules.DropTopLogprobsWithLogitBias;
            var preBias = biased && rules.PreBiasLogprobsField is not null && AsksLogprobs(routeKind, root) ? rules.PreBiasLogprobsField : null;
            if (routeKind != RouteKinds.ChatCompletions || rules.Degrade is null)
            {
                // Completions default to 16 tokens when max_tokens is absent: nothing to add.
                return new TokenFields(false, false, dropsTopLogprobs, preBias);
            }

            var hasMaxTokens = root.TryGetProperty("max_tokens"u8, out _);
            var hasCompletionTokens = root.TryGetProperty("max_completion_tokens"u8, out _);
            return new TokenFields(!hasMaxTokens && !hasCompletionTokens, hasCompletionTokens, dropsTopLogprobs, preBias);
        }

        private static bool AsksLogprobs(string routeKind, JsonElement root)
            => routeKind == RouteKinds.ChatCompletions
                ? (root.TryGetProperty("logprobs"u8, out var l) && l.ValueKind == JsonValueKind.True)
                    || (root.TryGetProperty("top_logprobs"u8, out var t) && t.ValueKind == JsonValueKind.Number)
                : root.TryGetProperty("logprobs"u8, out var c) && c.ValueKind == JsonValueKind.Number;
    }
}
