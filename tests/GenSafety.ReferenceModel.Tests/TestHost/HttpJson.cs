using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace GenSafety.ReferenceModel.Tests.TestHost;

/// <summary>Raw HTTP helpers: post JSON, read JSON, read server-sent events.</summary>
internal static class HttpJson
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, string json, params (string Name, string Value)[] headers)
    {
        using var request = Request(path, json, headers);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static HttpRequestMessage Request(string path, string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads every SSE event's data with the time it arrived (measured on <paramref name="clock"/>).</summary>
    public static async Task<List<(string Data, TimeSpan At)>> ReadEventsAsync(HttpResponseMessage response, Stopwatch clock)
    {
        var events = new List<(string, TimeSpan)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((line["data: ".Length..], clock.Elapsed));
            }
        }

        return events;
    }

    /// <summary>Escapes a string for embedding in a JSON literal.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
