using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using GenSafety.Gateway.Tests.TestHosts;
using OpenAI;
using OpenAI.Chat;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The official OpenAI .NET client, unchanged, through a gateway without Redis (the in-memory ledger of demo mode):
/// the receipt header of a non-streamed answer, a streamed answer with the opt-in receipt event (which the client
/// must tolerate), both verified, and the provenance instruments (the ledger queue's included) on <c>/metrics</c>.
/// </summary>
public sealed class OpenAIClientProvenanceTests : IAsyncLifetime
{
    private const int EndOfText = 100257; // <|endoftext|> in cl100k_base

    private ReferenceModelHost _model = null!;
    private GatewayHost _gateway = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _model = await ReferenceModelHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_model.Url, Args(null, null));
        _key = await _gateway.CreateClientKeyAsync(tenant: "wm-openai");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _model.DisposeAsync();
    }

    private ChatClient Client(bool receiptEvent = false)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(_gateway.PublicUrl + "/v1"), RetryPolicy = new ClientRetryPolicy(0) };
        if (receiptEvent)
        {
            options.AddPolicy(new HeaderPolicy("x-gensafety-receipt-event", "true"), PipelinePosition.PerCall);
        }

        return new ChatClient("reference-ngram", new ApiKeyCredential(_key), options);
    }

    private static ChatCompletionOptions Options()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 120, Temperature = 1 };
        options.LogitBiases.Add(EndOfText, -100);
        return options;
    }

    [Fact]
    public async Task NonStreaming_ReceiptHeader_VerifiesWithText()
    {
        ClientResult<ChatCompletion> result = await Client().CompleteChatAsync([new UserChatMessage("Tell me about the sea")], Options());
        var text = result.Value.Content[0].Text;
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-gensafety-receipt", out var receipt), "no receipt header");

        using var http = _gateway.PublicWithKey(_key);
        var verification = await VerifyAsync(http, text, receipt);

        Assert.Equal("produced", Verdict(verification));
        Assert.Equal("valid", Evidence(verification, "receipt").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Streaming_WithReceiptEvent_ClientReadsTextAndTextVerifies()
    {
        var text = new StringBuilder();
        await foreach (var update in Client(receiptEvent: true).CompleteChatStreamingAsync([new UserChatMessage("Tell me about the mountains")], Options()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        using var http = _gateway.PublicWithKey(_key);
        var verification = await VerifyAsync(http, text.ToString());
        var metrics = await _gateway.Admin.GetStringAsync("/metrics");

        Assert.Equal("produced", Verdict(verification));
        Assert.Contains("gensafety_provenance_marks", metrics, StringComparison.Ordinal);
        Assert.Contains("gensafety_provenance_verifications", metrics, StringComparison.Ordinal);
        Assert.Contains("gensafety_provenance_ledger_writes", metrics, StringComparison.Ordinal);
        Assert.Contains("gensafety_provenance_ledger_queue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("gensafety_provenance_ledger_batch_duration", metrics, StringComparison.Ordinal);
    }
}
