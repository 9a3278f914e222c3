using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.ReferenceModel;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// Perplexity under the reference model: the model hosted in this process on a loopback port scores each text with
/// <c>/v1/completions</c> (<c>echo</c>, <c>logprobs: 0</c>, <c>max_tokens: 0</c>); the perplexity of a set is
/// exp(−mean token logprob) over all its scored tokens (each text's first token has no score).
/// </summary>
internal static class ReferencePerplexity
{
    /// <summary>The perplexity of each set of texts.</summary>
    public static async Task<double[]> MeasureAsync(IReadOnlyList<IReadOnlyList<string>> sets)
    {
        var app = ReferenceModelApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], _ => { });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
            var result = new double[sets.Count];
            for (var i = 0; i < sets.Count; i++)
            {
                double sum = 0;
                long count = 0;
                foreach (var text in sets[i])
                {
                    using var response = await http.PostAsJsonAsync("v1/completions", new { model = "reference-ngram", prompt = text, max_tokens = 0, echo = true, logprobs = 0 });
                    response.EnsureSuccessStatusCode();
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    foreach (var value in json.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray())
                    {
                        if (value.ValueKind == JsonValueKind.Number)
                        {
                            sum += value.GetDouble();
                            count++;
                        }
                    }
                }

                result[i] = count == 0 ? double.NaN : Math.Exp(-sum / count);
            }

            return result;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
