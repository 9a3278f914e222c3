using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary><c>POST /v1/chat/completions</c>.</summary>
internal sealed class ChatCompletionsEndpoint(TextModelService text, IOptions<ReferenceModelOptions> options) : TextEndpoint(text, options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = await ReadRequestAsync(context, root => ChatRequest.Parse(root, Options, Text.Tokenizer));

        var tokenDelay = Pacing.TokenDelayMs(context, Options);
        var prompt = Text.Tokenizer.Encode(request.Prompt);
        var streams = new GenerationStream[request.N];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = Text.CreateStream(prompt, request.Settings, i);
        }

        var header = NewHeader("chatcmpl-");
        if (request.Stream)
        {
            await StreamAsync(context, request, header, prompt.Count, streams, tokenDelay);
        }
        else
        {
            await RespondAsync(context, request, header, prompt.Count, streams);
        }
    }

    private async Task RespondAsync(HttpContext context, ChatRequest request, ResponseHeader header, int promptTokens, GenerationStream[] streams)
    {
        DecodingLoop.RunToCompletion(streams, context.RequestAborted);
        using var json = new PooledJson();
        var writer = json.Writer;
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, "chat.completion", header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        for (var i = 0; i < streams.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", i);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", streams[i].Text);
            writer.WriteNull("refusal");
            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
            writer.WriteEndObject();
            TextJson.WriteChatLogprobs(writer, Text.Tokenizer, request.Settings.LogprobsRequested ? streams[i].Steps : null);
            writer.WriteString("finish_reason", streams[i].FinishReason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        TextJson.WriteUsage(writer, promptTokens, streams.Sum(s => s.CompletionTokens));
        writer.WriteString("service_tier", "default");
        writer.WriteEndObject();
        context.Response.ContentType = "application/json";
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, ChatRequest request, ResponseHeader header, int promptTokens, GenerationStream[] streams, int tokenDelayMs)
    {
        using var sse = new SseWriter(context);
        await sse.StartAsync();
        for (var i = 0; i < streams.Length; i++)
        {
            await WriteChunkAsync(sse, header, request.IncludeUsage, request.Settings.LogprobsRequested, i, step: null, role: true, finishReason: null);
        }

        var logprobs = request.Settings.LogprobsRequested;
        await DecodingLoop.RunRoundsAsync(
            streams,
            tokenDelayMs,
            (i, step) => WriteChunkAsync(sse, header, request.IncludeUsage, logprobs, i, step, role: false, finishReason: null),
            (i, reason) => WriteChunkAsync(sse, header, request.IncludeUsage, logprobs, i, step: null, role: false, reason),
            context.RequestAborted);
        if (request.IncludeUsage)
        {
            await DecodingLoop.WriteUsageChunkAsync(sse, header, "chat.completion.chunk", promptTokens, streams.Sum(s => s.CompletionTokens));
        }

        await sse.WriteDoneAsync();
    }

    private ValueTask WriteChunkAsync(SseWriter sse, ResponseHeader header, bool includeUsage, bool logprobs, int index, GenerationStep? step, bool role, string? finishReason)
    {
        var writer = sse.BeginEvent();
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, "chat.completion.chunk", header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteStartObject("delta");
        if (role)
        {
            writer.WriteString("role", "assistant");
            writer.WriteString("content", string.Empty);
            writer.WriteNull("refusal");
        }
        else if (step is { } s)
        {
            writer.WriteString("content", s.Delta);
        }

        writer.WriteEndObject();
        TextJson.WriteChatLogprobs(writer, Text.Tokenizer, logprobs && step is { HasToken: true } tokenStep ? [tokenStep] : null);
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
        return sse.EndEventAsync();
    }
}

/// <summary>Identity fields repeated in every response object or chunk of one request.</summary>
internal sealed record ResponseHeader(string Id, long Created, string Model, string Fingerprint);
