using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using OpenAI;
using OpenAI.Chat;

namespace GenSafety.Gateway.Tests.Enforcement.Ladder;

/// <summary>Admin calls and OpenAI clients shared by the ladder's end-to-end tests.</summary>
internal static class LadderAdmin
{
    /// <summary>A chat completion as a fixed upstream answers it: 12 prompt and 5 completion tokens.</summary>
    public const string Completion = """{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""";

    public static StringContent ChatBody(int maxTokens = 8) => new(
        $$"""{"model":"m","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":"Tell me about the sea"}]}""", System.Text.Encoding.UTF8, "application/json");

    public static async Task<string> CreateClientAsync(GatewayHost gateway, string id, string policy = "default")
    {
        var response = await gateway.Admin.PostAsJsonAsync("/admin/clients", new { id, policy });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("api_key").GetString()!;
    }

    public static async Task<JsonElement> PutAsync(GatewayHost gateway, string path, object body)
    {
        var response = await gateway.Admin.PutAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetAsync(GatewayHost gateway, string path)
    {
        var response = await gateway.Admin.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The official OpenAI chat client on <paramref name="gateway"/>, over <paramref name="handler"/> when given.</summary>
    public static ChatClient Chat(GatewayHost gateway, string key, HttpMessageHandler? handler = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.PublicUrl + "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(60),
            RetryPolicy = new ClientRetryPolicy(0),
        };
        if (handler is not null)
        {
            options.Transport = new HttpClientPipelineTransport(new HttpClient(handler));
        }

        return new ChatClient("m", new ApiKeyCredential(key), options);
    }

    public static Task<ClientResult<ChatCompletion>> AskAsync(ChatClient client)
        => client.CompleteChatAsync([new UserChatMessage("Tell me about the sea")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

    /// <summary>The OpenAI error code of a failed call.</summary>
    public static string ErrorCode(ClientResultException error)
    {
        using var json = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        return json.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }
}
