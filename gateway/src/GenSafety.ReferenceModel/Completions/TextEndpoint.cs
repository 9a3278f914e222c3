using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>What the chat and legacy completion endpoints share: the model, the options, request reading.</summary>
internal abstract class TextEndpoint(TextModelService text, IOptions<ReferenceModelOptions> options)
{
    protected TextModelService Text { get; } = text;

    protected ReferenceModelOptions Options { get; } = options.Value;

    /// <summary>Reads the JSON body (size-limited) and parses it with <paramref name="parse"/>.</summary>
    protected Task<T> ReadRequestAsync<T>(HttpContext context, Func<JsonElement, T> parse) =>
        JsonBody.ParseAsync(context, Options.MaxRequestBodyBytes, parse);

    /// <summary>Identity fields of a new response whose id starts with <paramref name="idPrefix"/>.</summary>
    protected ResponseHeader NewHeader(string idPrefix) =>
        new(ResponseIds.New(idPrefix), ResponseIds.Created(), Options.TextModelId, Text.SystemFingerprint);
}
