using System.Text.Json;
using GenSafety.ReferenceModel.Hosting;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Completions;

/// <summary><c>POST /v1/completions</c> (legacy text completions, with echo and prompt logprobs).</summary>
internal sealed class CompletionsEndpoint(TextModelService text, IOptions<ReferenceModelOptions> options) : TextEndpoint(text, options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = await ReadRequestAsync(context, root => CompletionRequest.Parse(root, Options, Text.Tokenizer));

        var tokenDelay = Pacing.TokenDelayMs(context, Options);
        var choices = new List<Choice>(request.Prompts.Count * request.N);
        foreach (var prompt in request.Prompts)
        {
            var moments = request.PromptLogprobMoments ? new (double, double)?[prompt.Tokens.Count] : null;
            var scores = request.Echo && request.Settings.LogprobsRequested
                ? PromptScorer.Score(Text.Model, Text.Tokenizer, prompt.Tokens, request.Settings, moments)
                : null;
            for (var j = 0; j < request.N; j++)
            {
                choices.Add(new Choice(choices.Count, prompt, scores, moments, Text.CreateStream(prompt.Tokens, request.Settings, choices.Count)));
            }
        }

        var header = NewHeader("cmpl-");
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
        DecodingLoop.RunToCompletion(choices.Select(c => c.Stream), context.RequestAborted);
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

            WriteChoice(writer, request, choice.Index, (request.Echo ? choice.Prompt.Text : string.Empty) + choice.Stream.Text, entries, choice.Stream.FinishReason, choice.PromptMoments);
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
                await WriteChunkAsync(sse, request, header, choice.Index, choice.Prompt.Text, entries, null, choice.PromptMoments);
            }
        }

        await DecodingLoop.RunRoundsAsync(
            choices.Select(c => c.Stream).ToArray(),
            tokenDelayMs,
            (i, step) =>
            {
                var choice = choices[i];
                List<(int, GenerationStep?, int)> entries = step.HasToken ? [(step.Token, step, choice.Prompt.Text.Length + step.TextOffset)] : [];
                return WriteChunkAsync(sse, request, header, choice.Index, step.Delta, entries, null);
            },
            (i, reason) => WriteChunkAsync(sse, request, header, choices[i].Index, string.Empty, [], reason),
            context.RequestAborted);
        if (request.IncludeUsage)
        {
            await DecodingLoop.WriteUsageChunkAsync(sse, header, "text_completion", promptTokens, choices.Sum(c => c.Stream.CompletionTokens));
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

    private ValueTask WriteChunkAsync(
        SseWriter sse, CompletionRequest request, ResponseHeader header, int index, string text, List<(int, GenerationStep?, int)> entries, string? finishReason,
        (double, double)?[]? moments = null)
    {
        var writer = sse.BeginEvent();
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, "text_completion", header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        WriteChoice(writer, request, index, text, entries, finishReason, moments);
        writer.WriteEndArray();
        if (request.IncludeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
        return sse.EndEventAsync();
    }

    private void WriteChoice(
        Utf8JsonWriter writer, CompletionRequest request, int index, string text, List<(int, GenerationStep?, int)> entries, string? finishReason, (double, double)?[]? moments)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteNumber("index", index);
        if (request.Settings.LogprobsRequested)
        {
            TextJson.WriteLegacyLogprobs(writer, Text.Tokenizer, entries, moments);
        }
        else
        {
            writer.WriteNull("logprobs");
        }

        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
    }

    private sealed record Choice(int Index, PromptInput Prompt, GenerationStep?[]? PromptScores, (double, double)?[]? PromptMoments, GenerationStream Stream);
}
