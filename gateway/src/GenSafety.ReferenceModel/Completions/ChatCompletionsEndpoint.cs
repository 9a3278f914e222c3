using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary><c>POST /v1/chat/completions</c>.</summary>
internal sealed class ChatCompletionsEndpoint
{
    private readonly TextModelService _text;
    private readonly ReferenceModelOptions _options;

    public ChatCompletionsEndpoint(TextModelService text, IOptions<ReferenceModelOptions> options)
    {
        _text = text;
        _options = options.Value;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ChatRequest request;
        using (var body = await JsonBody.ReadObjectAsync(context, _options.MaxRequestBodyBytes))
        {
            request = ChatRequest.Parse(body.RootElement, _options, _text.Tokenizer);
        }

        var tokenDelay = Pacing.TokenDelayMs(context, _options);
        var prompt = _text.Tokenizer.Encode(request.Prompt);
        var streams = new GenerationStream[request.N];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = _text.CreateStream(prompt, request.Settings, i);
        }

        var header = new ResponseHeader(ResponseIds.New("chatcmpl-"), ResponseIds.Created(), _options.TextModelId, _text.SystemFingerprint);
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
        foreach (var stream in streams)
        {
            while (stream.TryStep(out _))
            {
                context.RequestAborted.ThrowIfCancellationRequested();
            }
        }

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
            TextJson.WriteChatLogprobs(writer, _text.Tokenizer, request.Settings.LogprobsRequested ? streams[i].Steps : null);
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
            WriteChunk(sse, header, request.IncludeUsage, request.Settings.LogprobsRequested, i, step: null, role: true, finishReason: null);
            await sse.EndEventAsync();
        }

        // Choices advance in lockstep, one token each per round, like a batched decoder.
        var active = streams.Length;
        while (active > 0)
        {
            if (tokenDelayMs > 0)
            {
                await Task.Delay(tokenDelayMs, context.RequestAborted);
            }

            context.RequestAborted.ThrowIfCancellationRequested();
            active = 0;
            for (var i = 0; i < streams.Length; i++)
            {
                if (!streams[i].TryStep(out var step))
                {
                    continue;
                }

                if (step.HasToken || step.Delta.Length > 0)
                {
                    WriteChunk(sse, header, request.IncludeUsage, request.Settings.LogprobsRequested, i, step, role: false, finishReason: null);
                    await sse.EndEventAsync();
                }

                if (streams[i].FinishReason is { } reason)
                {
                    WriteChunk(sse, header, request.IncludeUsage, request.Settings.LogprobsRequested, i, step: null, role: false, reason);
                    await sse.EndEventAsync();
                }
                else
                {
                    active++;
                }
            }
        }

        if (request.IncludeUsage)
        {
            var writer = sse.BeginEvent();
            writer.WriteStartObject();
            TextJson.WriteHeader(writer, header.Id, "chat.completion.chunk", header.Created, header.Model, header.Fingerprint);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            TextJson.WriteUsage(writer, promptTokens, streams.Sum(s => s.CompletionTokens));
            writer.WriteEndObject();
            await sse.EndEventAsync();
        }

        await sse.WriteDoneAsync();
    }

    private void WriteChunk(SseWriter sse, ResponseHeader header, bool includeUsage, bool logprobs, int index, GenerationStep? step, bool role, string? finishReason)
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
        TextJson.WriteChatLogprobs(writer, _text.Tokenizer, logprobs && step is { HasToken: true } tokenStep ? [tokenStep] : null);
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
    }
}

/// <summary>Identity fields repeated in every response object or chunk of one request.</summary>
internal sealed record ResponseHeader(string Id, long Created, string Model, string Fingerprint);
