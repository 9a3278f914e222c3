using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.Completions;

[Collection(SharedHostGroup.Name)]
public sealed class CompletionsEndpointTests(SharedHost shared)
{
    private static readonly Cl100kTokenizer Tokenizer = Cl100kTokenizer.Shared;
    private readonly ReferenceModelHost _host = shared.Host;

    [Fact]
    public async Task Completions_EchoWithLogprobsAndNoTokens_ScoresPromptTokens()
    {
        const string prompt = "Notes on animals. The word dog refers to a member of the genus Canis.";
        var (status, body) = await PostAsync($$"""{"model":"m","prompt":{{HttpJson.Quote(prompt)}},"echo":true,"max_tokens":0,"logprobs":5}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(prompt, choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToArray();
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().ToArray();
        var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToArray();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToArray();
        Assert.Equal(Tokenizer.Encode(prompt).Count, tokens.Length);
        Assert.Equal(prompt, string.Concat(tokens));
        Assert.Equal(JsonValueKind.Null, values[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, tops[0].ValueKind);
        Assert.All(values.Skip(1), v => Assert.True(v.GetDouble() <= 0));
        Assert.All(tops.Skip(1), t => Assert.Equal(5, t.EnumerateObject().Count()));
        Assert.Equal(0, offsets[0]);
        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(prompt.Length, offsets[^1] + tokens[^1]!.Length);
        Assert.Equal(0, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_PromptLogprobMoments_ReportsTheFullDistributionsMoments()
    {
        const string prompt = "Notes on animals. The word dog refers to a member of the genus Canis.";
        var (status, body) = await PostAsync($$"""{"model":"m","prompt":{{HttpJson.Quote(prompt)}},"echo":true,"max_tokens":2,"logprobs":5,"prompt_logprob_moments":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().ToArray();
        var moments = logprobs.GetProperty("token_logprob_moments").EnumerateArray().ToArray();
        var promptTokens = Tokenizer.Encode(prompt).Count;
        Assert.Equal(values.Length, moments.Length);
        Assert.Equal(JsonValueKind.Null, moments[0].ValueKind);
        Assert.All(moments[promptTokens..], m => Assert.Equal(JsonValueKind.Null, m.ValueKind));
        foreach (var (moment, value) in moments[1..promptTokens].Zip(values[1..promptTokens]))
        {
            var mean = moment.GetProperty("mean").GetDouble();
            var deviation = moment.GetProperty("std").GetDouble();

            // μ = −entropy: between −ln |V| (uniform over cl100k) and 0; σ ≥ 0; and a token far above the mean is
            // reported with a logprob that is consistent with it being in the distribution.
            Assert.InRange(mean, -Math.Log(Tokenizer.IdLimit) - 1e-9, 0);
            Assert.True(deviation >= 0);
            Assert.True(value.GetDouble() <= 0);
        }

        var (refused, error) = await PostAsync("""{"model":"m","prompt":"x","max_tokens":1,"prompt_logprob_moments":true}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("prompt_logprob_moments", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Completions_EchoLogprobs_MembersScoreHigherThanNonMembers()
    {
        // The membership-inference signal a dataset-inference client would use: members have higher likelihood.
        var members = await MeanLogprobAsync(TestCorpus.Corpus.Members.Take(8).Select(d => d.Text));
        var nonMembers = await MeanLogprobAsync(TestCorpus.Corpus.NonMembers.Take(8).Select(d => d.Text));

        Assert.True(members > nonMembers + 1, $"members {members:F2} vs non-members {nonMembers:F2}");
    }

    [Fact]
    public async Task Completions_Logprobs_LegacyShapeWithOffsetsAfterPrompt()
    {
        const string prompt = "Notes on food and drink.";
        var (_, body) = await PostAsync($$$"""{"model":"m","prompt":{{{HttpJson.Quote(prompt)}}},"max_tokens":6,"logprobs":3,"temperature":0,"logit_bias":{"100257":-100}}""");

        var choice = body.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal(6, tokens.Length);
        Assert.Equal(choice.GetProperty("text").GetString(), string.Concat(tokens));
        Assert.Equal(prompt.Length, logprobs.GetProperty("text_offset")[0].GetInt32());
        for (var i = 0; i < tokens.Length; i++)
        {
            var top = logprobs.GetProperty("top_logprobs")[i].EnumerateObject().ToArray();
            Assert.InRange(top.Length, 1, 3);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(top[0].Value.GetDouble(), logprobs.GetProperty("token_logprobs")[i].GetDouble(), 9);
        }
    }

    [Fact]
    public async Task Completions_PromptArrayWithN_ReturnsChoicePerPromptAndSample()
    {
        var (_, body) = await PostAsync("""{"model":"m","prompt":["Notes on plants.","Notes on time."],"n":2,"max_tokens":5,"seed":5}""");

        var choices = body.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        var expectedPromptTokens = Tokenizer.Encode("Notes on plants.").Count + Tokenizer.Encode("Notes on time.").Count;
        Assert.Equal(expectedPromptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_TokenArrayPrompt_EqualsTextPrompt()
    {
        var member = TestCorpus.Corpus.Members[10];
        var prefix = TestCorpus.Prefix(member.Text, 80);
        var ids = string.Join(',', Tokenizer.Encode(prefix));

        var (_, fromText) = await PostAsync($$"""{"model":"m","prompt":{{HttpJson.Quote(prefix)}},"max_tokens":30,"temperature":0}""");
        var (_, fromTokens) = await PostAsync($$"""{"model":"m","prompt":[{{ids}}],"max_tokens":30,"temperature":0}""");

        Assert.Equal(Text(fromText), Text(fromTokens));
        Assert.StartsWith(Text(fromText), member.Text[prefix.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completions_StreamWithEchoAndUsage_SendsTextCompletionChunks()
    {
        const string prompt = "Notes on shapes.";
        using var request = HttpJson.Request("/v1/completions",
            $$$"""{"model":"m","prompt":{{{HttpJson.Quote(prompt)}}},"max_tokens":4,"echo":true,"stream":true,"stream_options":{"include_usage":true},"logit_bias":{"100257":-100}}""");
        using var response = await _host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await HttpJson.ReadEventsAsync(response, Stopwatch.StartNew());

        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.Equal(prompt, chunks[0].GetProperty("choices")[0].GetProperty("text").GetString());
        var text = string.Concat(chunks.SkipLast(1).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.StartsWith(prompt, text, StringComparison.Ordinal);
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(4, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    private static string? Text(JsonElement body) => body.GetProperty("choices")[0].GetProperty("text").GetString();

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json) => HttpJson.PostAsync(_host.Http, "/v1/completions", json);

    private async Task<double> MeanLogprobAsync(IEnumerable<string> documents)
    {
        var means = new List<double>();
        foreach (var document in documents)
        {
            var (_, body) = await PostAsync($$"""{"model":"m","prompt":{{HttpJson.Quote(document)}},"echo":true,"max_tokens":0,"logprobs":0}""");
            var values = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Skip(1).Select(v => v.GetDouble());
            means.Add(values.Average());
        }

        return means.Average();
    }
}
