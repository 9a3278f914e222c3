using System.Text.Json;
using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary><c>POST /v1/completions</c> (legacy text completions, with echo and prompt logprobs).</summary>
internal sealed class CompletionsEndpoint
{
    private readonly TextModelService _text;
    private readonly ReferenceModelOptions _options;

    public CompletionsEndpoint(TextModelService text, IOptions<ReferenceModelOptions> options)
    {
        _text = text;
        _options = options.Value;
    }

    public async Task HandleAsync(HttpContext context)
    {
        CompletionRequest request;
        using (var body = await JsonBody.ReadObjectAsync(context, _options.MaxRequestBodyBytes))
        {
            request = CompletionRequest.Parse(body.RootElement, _options, _text.Tokenizer);
        }

        var tokenDelay = Pacing.TokenDelayMs(context, _options);
        var choices = new List<Choice>(request.Prompts.Count * request.N);
        foreach (var prompt in request.Prompts)
        {
            var scores = request.Echo && request.Settings.LogprobsRequested
                ? PromptScorer.Score(_text.Model, _text.Tokenizer, prompt.Tokens, request.Settings)
                : null;
            for (var j = 0; j < request.N; j++)
            {
                choices.Add(new Choice(choices.Count, prompt, scores, _text.CreateStream(prompt.Tokens, request.Settings, choices.Count)));
            }
        }

        var header = new ResponseHeader(ResponseIds.New("cmpl-"), ResponseIds.Created(), _options.TextModelId, _text.SystemFingerprint);
        var promptTokens = request.Prompts.Sum(p => p.Tokens.Count);
        if (request.Stream)
        {
            await StreamAsync(context, request, header, promptTokens, choices, tokenDelay);
        }
        else
        {
            await RespondAsync(context, request, header, promptTokens, choices);
        }
    }

    private async Task RespondAsync(HttpContext context, CompletionRequest request, ResponseHeader header, int promptTokens, List<Choice> choices)
    {
        foreach (var choice in choices)
        {
            while (choice.Stream.TryStep(out _))
            {
                context.RequestAborted.ThrowIfCancellationRequested();
            }
        }

        using var json = new PooledJson();
        var writer = json.Writer;
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, "text_completion", header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        foreach (var choice in choices)
        {
            var entries = new List<(int, GenerationStep?, int)>();
            if (request.Echo)
            {
                AddPromptEntries(entries, choice);
            }

            foreach (var step in choice.Stream.Steps)
            {
                entries.Add((step.Token, step, choice.Prompt.Text.Length + step.TextOffset));
            }

            WriteChoice(writer, request, choice.Index, (request.Echo ? choice.Prompt.Text : string.Empty) + choice.Stream.Text, entries, choice.Stream.FinishReason);
        }

        writer.WriteEndArray();
        TextJson.WriteUsage(writer, promptTokens, choices.Sum(c => c.Stream.CompletionTokens));
        writer.WriteEndObject();
        context.Response.ContentType = "application/json";
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, CompletionRequest request, ResponseHeader header, int promptTokens, List<Choice> choices, int tokenDelayMs)
    {
        using var sse = new SseWriter(context);
        await sse.StartAsync();
        if (request.Echo)
        {
            foreach (var choice in choices)
            {
                var entries = new List<(int, GenerationStep?, int)>();
                AddPromptEntries(entries, choice);
                await WriteChunkAsync(sse, request, header, choice.Index, choice.Prompt.Text, entries, null);
            }
        }

        var active = choices.Count;
        while (active > 0)
        {
            if (tokenDelayMs > 0)
            {
                await Task.Delay(tokenDelayMs, context.RequestAborted);
            }

            context.RequestAborted.ThrowIfCancellationRequested();
            active = 0;
            foreach (var choice in choices)
            {
                if (!choice.Stream.TryStep(out var step))
                {
                    continue;
                }

                if (step.HasToken || step.Delta.Length > 0)
                {
                    List<(int, GenerationStep?, int)> entries = step.HasToken ? [(step.Token, step, choice.Prompt.Text.Length + step.TextOffset)] : [];
                    await WriteChunkAsync(sse, request, header, choice.Index, step.Delta, entries, null);
                }

                if (choice.Stream.FinishReason is { } reason)
                {
                    await WriteChunkAsync(sse, request, header, choice.Index, string.Empty, [], reason);
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
            TextJson.WriteHeader(writer, header.Id, "text_completion", header.Created, header.Model, header.Fingerprint);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            TextJson.WriteUsage(writer, promptTokens, choices.Sum(c => c.Stream.CompletionTokens));
            writer.WriteEndObject();
            await sse.EndEventAsync();
        }

        await sse.WriteDoneAsync();
    }

    private static void AddPromptEntries(List<(int, GenerationStep?, int)> entries, Choice choice)
    {
        if (choice.PromptScores is null)
        {
            return;
        }

        for (var i = 0; i < choice.Prompt.Tokens.Count; i++)
        {
            entries.Add((choice.Prompt.Tokens[i], choice.PromptScores[i], choice.PromptScores[i]?.TextOffset ?? 0));
        }
    }

    private ValueTask WriteChunkAsync(SseWriter sse, CompletionRequest request, ResponseHeader header, int index, string text, List<(int, GenerationStep?, int)> entries, string? finishReason)
    {
        var writer = sse.BeginEvent();
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, "text_completion", header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        WriteChoice(writer, request, index, text, entries, finishReason);
        writer.WriteEndArray();
        if (request.IncludeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
        return sse.EndEventAsync();
    }

    private void WriteChoice(Utf8JsonWriter writer, CompletionRequest request, int index, string text, List<(int, GenerationStep?, int)> entries, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteNumber("index", index);
        if (request.Settings.LogprobsRequested)
        {
            TextJson.WriteLegacyLogprobs(writer, _text.Tokenizer, entries);
        }
        else
        {
            writer.WriteNull("logprobs");
        }

        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
    }

    private sealed record Choice(int Index, PromptInput Prompt, GenerationStep?[]? PromptScores, GenerationStream Stream);
}
