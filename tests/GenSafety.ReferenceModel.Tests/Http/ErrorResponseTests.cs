using System.Net;
using System.Text.Json;
using GenSafety.ReferenceModel.Tests.TestHost;

namespace GenSafety.ReferenceModel.Tests.Http;

[Collection(SharedHostGroup.Name)]
public sealed class ErrorResponseTests(SharedHost shared)
{
    private const string Chat = "/v1/chat/completions";
    private const string Completions = "/v1/completions";
    private const string Embeddings = "/v1/embeddings";
    private const string Images = "/v1/images/generations";
    private const string Msg = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private readonly ReferenceModelHost _host = shared.Host;

    [Theory]
    [InlineData(Chat, "{", null)]
    [InlineData(Chat, "[]", null)]
    [InlineData(Chat, "", null)]
    [InlineData(Chat, "{" + Msg + "}", "model")]
    [InlineData(Chat, """{"model":5,""" + Msg + "}", "model")]
    [InlineData(Chat, """{"model":"m"}""", "messages")]
    [InlineData(Chat, """{"model":"m","messages":[]}""", "messages")]
    [InlineData(Chat, """{"model":"m","messages":"hi"}""", "messages")]
    [InlineData(Chat, """{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData(Chat, """{"model":"m","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData(Chat, """{"model":"m","messages":[{"role":"user","content":7}]}""", "messages[0].content")]
    [InlineData(Chat, """{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content[0].type")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","temperature":"hot"}""", "temperature")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","temperature":2.5}""", "temperature")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","top_p":1.5}""", "top_p")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","n":0}""", "n")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","n":1000}""", "n")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","max_tokens":0}""", "max_tokens")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","max_tokens":1.5}""", "max_tokens")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","max_tokens":1000000000000}""", "max_tokens")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","max_completion_tokens":99999}""", "max_completion_tokens")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logprobs":"yes"}""", "logprobs")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logprobs":true,"top_logprobs":21}""", "top_logprobs")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","top_logprobs":2}""", "top_logprobs")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logit_bias":{"abc":1}}""", "logit_bias")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logit_bias":{"999999":1}}""", "logit_bias")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logit_bias":{"50256":200}}""", "logit_bias")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logit_bias":{"50256":"x"}}""", "logit_bias")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","logit_bias":[1]}""", "logit_bias")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","stop":5}""", "stop")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","seed":"x"}""", "seed")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","stream":"yes"}""", "stream")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","stream_options":{"include_usage":true}}""", "stream_options")]
    [InlineData(Chat, """{"model":"m",""" + Msg + ""","presence_penalty":3}""", "presence_penalty")]
    [InlineData(Completions, """{"model":"m"}""", "prompt")]
    [InlineData(Completions, """{"model":"m","prompt":5}""", "prompt")]
    [InlineData(Completions, """{"model":"m","prompt":[]}""", "prompt")]
    [InlineData(Completions, """{"model":"m","prompt":[true]}""", "prompt")]
    [InlineData(Completions, """{"model":"m","prompt":[1,-5]}""", "prompt")]
    [InlineData(Completions, """{"model":"m","prompt":"x","logprobs":6}""", "logprobs")]
    [InlineData(Completions, """{"model":"m","prompt":"x","max_tokens":-1}""", "max_tokens")]
    [InlineData(Completions, """{"model":"m","prompt":"x","echo":1}""", "echo")]
    [InlineData(Completions, """{"model":"m","prompt":"x","suffix":"y"}""", "suffix")]
    [InlineData(Completions, """{"model":"m","prompt":"x","best_of":3}""", "best_of")]
    [InlineData(Embeddings, """{"model":"m"}""", "input")]
    [InlineData(Embeddings, """{"input":"x"}""", "model")]
    [InlineData(Embeddings, """{"model":"m","input":[]}""", "input")]
    [InlineData(Embeddings, """{"model":"m","input":""}""", "input")]
    [InlineData(Embeddings, """{"model":"m","input":[1,2,3]}""", "input")]
    [InlineData(Embeddings, """{"model":"m","input":[[1,2]]}""", "input")]
    [InlineData(Embeddings, """{"model":"m","input":{"a":1}}""", "input")]
    [InlineData(Embeddings, """{"model":"m","input":"x","encoding_format":"hex"}""", "encoding_format")]
    [InlineData(Embeddings, """{"model":"m","input":"x","dimensions":256}""", "dimensions")]
    [InlineData(Images, """{"model":"m"}""", "prompt")]
    [InlineData(Images, """{"prompt":"   "}""", "prompt")]
    [InlineData(Images, """{"prompt":"a cat","size":"300x300"}""", "size")]
    [InlineData(Images, """{"prompt":"a cat","response_format":"url"}""", "response_format")]
    [InlineData(Images, """{"prompt":"a cat","n":5}""", "n")]
    [InlineData(Images, """{"prompt":"a cat","n":0}""", "n")]
    [InlineData(Images, """{"prompt":"a cat","seed":1.5}""", "seed")]
    [InlineData(Images, """{"prompt":"a cat","output_format":"jpeg"}""", "output_format")]
    public async Task Post_InvalidRequest_Returns400InOpenAIShape(string path, string body, string? param)
    {
        var (status, error) = await HttpJson.PostAsync(_host.Http, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertOpenAIError(error, param);
    }

    [Fact]
    public async Task Post_InvalidDelayHeader_Returns400()
    {
        var (status, error) = await HttpJson.PostAsync(_host.Http, Chat, "{\"model\":\"m\"," + Msg + "}", (ReferenceModelHeaders.ResponseDelayMs, "soon"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertOpenAIError(error, ReferenceModelHeaders.ResponseDelayMs);
    }

    [Fact]
    public async Task Get_UnknownModel_Returns404ModelNotFound()
    {
        var (status, error) = await HttpJson.GetAsync(_host.Http, "/v1/models/gpt-17");

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertOpenAIError(error, "model");
        Assert.Equal("model_not_found", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Post_UnknownUrl_Returns404()
    {
        var (status, error) = await HttpJson.PostAsync(_host.Http, "/v1/audio/speech", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertOpenAIError(error, null);
    }

    [Fact]
    public async Task Post_BodyOverLimit_Returns413()
    {
        await using var host = await ReferenceModelHost.StartAsync(o => o.MaxRequestBodyBytes = 2048);
        var big = "{\"model\":\"m\",\"prompt\":\"" + new string('a', 4096) + "\"}";

        var (status, error) = await HttpJson.PostAsync(host.Http, Completions, big);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, Completions) { Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big))) };
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await host.Http.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertOpenAIError(error, null);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
    }

    private static void AssertOpenAIError(JsonElement body, string? param)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("code", out _));
        if (param is null)
        {
            Assert.True(error.TryGetProperty("param", out _));
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }
}
