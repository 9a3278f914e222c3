using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>What the end-to-end detection tests share: gateway arguments on real Redis, polling the admin view.</summary>
internal static class DetectionGatewayHelpers
{
    /// <summary>Gateway arguments: the shared Redis under <paramref name="prefix"/>, short ladder delays, then <paramref name="extra"/>.</summary>
    public static string[] Args(SharedRedisFixture redis, string prefix, params string[] extra) =>
    [
        $"--GenSafety:Redis:ConnectionString={redis.EndPoint}",
        $"--GenSafety:Redis:KeyPrefix={prefix}",
        "--GenSafety:Enforcement:Risk:MinDelay=00:00:00.010",
        "--GenSafety:Enforcement:Risk:MaxDelay=00:00:00.020",
        .. extra,
    ];

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The client's level number in an admin client view.</summary>
    public static int Level(JsonElement detail) => detail.GetProperty("enforcement").GetProperty("level").GetString()![1] - '0';

    /// <summary>Detection runs after the responses: polls the admin view until the condition holds (or 15 s pass).</summary>
    public static async Task<JsonElement> WaitAsync(GatewayHost gateway, string client, Func<JsonElement, bool> condition)
    {
        var detail = await GetAsync(gateway, $"/admin/clients/{client}");
        for (var i = 0; i < 150 && !condition(detail); i++)
        {
            await Task.Delay(100);
            detail = await GetAsync(gateway, $"/admin/clients/{client}");
        }

        return detail;
    }
}
