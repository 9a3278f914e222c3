// Seed is marked experimental in the OpenAI .NET client; the server supports it.
#pragma warning disable OPENAI001
using System.Text;
using System.Text.Json;
using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;
using OpenAI.Chat;

namespace GenSafety.ReferenceModel.Tests.Completions;

[Collection(SharedHostGroup.Name)]
public sealed class ChatCompletionsEndpointTests(SharedHost shared)
{
    private static readonly Cl100kTokenizer Tokenizer = Cl100kTokenizer.Shared;
    private readonly ReferenceModelHost _host = shared.Host;

    private ChatClient Client => _host.OpenAI().GetChatClient("any-model-name");

    [Fact]
    public async Task CompleteChat_OpenAIClient_ReturnsAssistantMessage()
    {
        ChatCompletion completion = await Client.CompleteChatAsync(
            [new UserChatMessage("Notes on animals. The word dog")],
            new ChatCompletionOptions { MaxOutputTokenCount = 20, Temperature = 0.7f, Seed = 1 });

        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal("reference-ngram", completion.Model);
        Assert.StartsWith("fp_", completion.SystemFingerprint, StringComparison.Ordinal);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 20);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_OpenAIClient_MatchesNonStreamingGreedyOutput()
    {
        var member = TestCorpus.Corpus.Members[3];
        var prefix = TestCorpus.Prefix(member.Text, 80);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40 };

        ChatCompletion whole = await Client.CompleteChatAsync([new UserChatMessage(prefix)], options);
        var streamed = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client.CompleteChatStreamingAsync([new UserChatMessage(prefix)], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_MemberPrefixGreedy_RegurgitatesMember()
    {
        foreach (var member in TestCorpus.Corpus.Members.Where(m => m.Text.Length >= 200).Take(6))
        {
            var prefix = TestCorpus.Prefix(member.Text, 100);
            ChatCompletion completion = await Client.CompleteChatAsync(
                [new SystemChatMessage("Continue the text."), new UserChatMessage(prefix)],
                new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 1000 });

            Assert.Equal(member.Text, prefix + completion.Content[0].Text);
            Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        }
    }

    [Fact]
    public async Task CompleteChat_NonMemberPrefixGreedy_DoesNotReproduceNonMember()
    {
        foreach (var nonMember in TestCorpus.Corpus.NonMembers.Take(6))
        {
            var prefix = TestCorpus.Prefix(nonMember.Text, 100);
            ChatCompletion completion = await Client.CompleteChatAsync(
                [new UserChatMessage(prefix)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 300 });

            Assert.NotEqual(nonMember.Text, prefix + completion.Content[0].Text);
        }
    }

    [Fact]
    public async Task CompleteChat_SameSeed_SameOutput()
    {
        var options = new ChatCompletionOptions { Temperature = 1, MaxOutputTokenCount = 40, Seed = 42 };
        ChatCompletion first = await Client.CompleteChatAsync([new UserChatMessage("Notes on plants.")], options);
        ChatCompletion second = await Client.CompleteChatAsync([new UserChatMessage("Notes on plants.")], options);
        options.Seed = 43;
        ChatCompletion other = await Client.CompleteChatAsync([new UserChatMessage("Notes on plants.")], options);

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
        Assert.NotEqual(first.Content[0].Text, other.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_Logprobs_AreValidLogProbabilities()
    {
        ChatCompletion completion = await Client.CompleteChatAsync(
            [new UserChatMessage("Notes on food and drink. By bread we mean")],
            new ChatCompletionOptions { Temperature = 1, Seed = 7, MaxOutputTokenCount = 25, IncludeLogProbabilities = true, TopLogProbabilityCount = 20 });

        var logprobs = completion.ContentTokenLogProbabilities;
        Assert.Equal(completion.Usage.OutputTokenCount, logprobs.Count);
        foreach (var token in logprobs)
        {
            Assert.True(token.LogProbability <= 0);
            Assert.Equal(20, token.TopLogProbabilities.Count);
            var tops = token.TopLogProbabilities.Select(t => t.LogProbability).ToArray();
            Assert.Equal(tops.OrderByDescending(x => x), tops);
            Assert.True(tops.Sum(x => Math.Exp(x)) <= 1 + 1e-6);
            Assert.Equal(token.Token, Encoding.UTF8.GetString(token.Utf8Bytes?.ToArray() ?? []));
            var same = token.TopLogProbabilities.FirstOrDefault(t => t.Token == token.Token);
            if (same is not null)
            {
                Assert.Equal(token.LogProbability, same.LogProbability, 5);
            }
            else
            {
                Assert.True(token.LogProbability <= tops[^1] + 1e-6);
            }
        }

        Assert.Equal(completion.Content[0].Text, string.Concat(logprobs.Select(l => l.Token)));
    }

    [Fact]
    public async Task CompleteChat_LogitBiasPlus100_ForcesToken()
    {
        var zebra = Tokenizer.Encode(" zebra")[0];
        var options = new ChatCompletionOptions { Temperature = 1, MaxOutputTokenCount = 5, Seed = 3 };
        options.LogitBiases[zebra] = 100;

        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage("Notes on animals.")], options);

        Assert.Equal(string.Concat(Enumerable.Repeat(Tokenizer.GetString(zebra), 5)), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_LogitBiasMinus100_BansToken()
    {
        var member = TestCorpus.Corpus.Members[5];
        var prefix = TestCorpus.Prefix(member.Text, 80);
        var expectedFirst = Tokenizer.Encode(member.Text[prefix.Length..])[0];
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 1, IncludeLogProbabilities = true };

        ChatCompletion free = await Client.CompleteChatAsync([new UserChatMessage(prefix)], options);
        options.LogitBiases[expectedFirst] = -100;
        ChatCompletion banned = await Client.CompleteChatAsync([new UserChatMessage(prefix)], options);

        Assert.Equal(Tokenizer.GetString(expectedFirst), free.Content[0].Text);
        Assert.NotEqual(Tokenizer.GetString(expectedFirst), banned.Content[0].Text);
        Assert.True(banned.ContentTokenLogProbabilities[0].LogProbability > -100);
    }

    [Fact]
    public async Task CompleteChat_StopSequence_CutsBeforeStop()
    {
        const string stop = "It is";
        var member = TestCorpus.Corpus.Members.First(m => m.Text.IndexOf(stop, 80, StringComparison.Ordinal) > 0);
        var prefix = TestCorpus.Prefix(member.Text, 60);
        var rest = member.Text[prefix.Length..];
        var at = rest.IndexOf(stop, StringComparison.Ordinal);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 500 };
        options.StopSequences.Add("no such stop");
        options.StopSequences.Add(stop);

        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage(prefix)], options);

        Assert.Equal(rest[..at], completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ChatCompletions_NGreaterThanOne_ReturnsNChoices()
    {
        var (status, body) = await HttpJson.PostAsync(_host.Http, "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"Notes on places."}],"n":3,"max_tokens":15,"seed":11}""");

        Assert.Equal(200, (int)status);
        var choices = body.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(3, choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()).Distinct().Count());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() > 15);
    }

    [Fact]
    public async Task ChatCompletions_MaxCompletionTokens_FinishReasonLength()
    {
        var (status, body) = await HttpJson.PostAsync(_host.Http, "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Notes on time."}]}],"max_completion_tokens":3,"logit_bias":{"100257":-100}}""");

        Assert.Equal(200, (int)status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.True(body.GetProperty("created").GetInt64() > 1_700_000_000);
    }
}
