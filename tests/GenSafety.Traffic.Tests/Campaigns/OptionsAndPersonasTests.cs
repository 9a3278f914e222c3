using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Tests.Campaigns;

public sealed class OptionsAndPersonasTests
{
    [Fact]
    public void Parse_Lists_BuildTheCampaignMatrix()
    {
        var options = TrafficRunOptions.Parse(
            ["--target", "http://127.0.0.1:8080", "--admin", "http://127.0.0.1:9090", "--admin-token", "T", "--scenario", "A1,A4,benign",
             "--sybils", "1,10,100", "--mix", "0.05,0.5", "--adaptive", "none,both", "--seed", "3", "--queries", "500", "--run-id", "x"],
            needsTarget: true,
            out var errors);

        Assert.Empty(errors);
        Assert.Equal((2 * 3 * 2 * 2) + 1, options.Campaigns.Count);
        Assert.Equal(options.Campaigns.Count, options.Campaigns.Select(c => c.Id).Distinct().Count());
        Assert.Contains(options.Campaigns, c => c.Id == "a4-s100-m50-both-3");
        Assert.Contains(options.Campaigns, c => c.Id == "benign-s0-m0-none-3");
        Assert.All(options.Campaigns, c => Assert.Equal(500, c.Queries));
        Assert.Equal(new Uri("http://127.0.0.1:9090/"), options.Admin);
    }

    [Fact]
    public void Parse_AllWithBenign_ExpandsToEveryFamilyAndTheBenignRun()
    {
        var options = TrafficRunOptions.Parse(["--scenario", "all,benign", "--run-id", "x"], needsTarget: false, out var errors);

        Assert.Empty(errors);
        Assert.Equal(["A1", "A2", "A3", "A4", "A5", "benign"], options.Campaigns.Select(c => c.Scenario));
    }

    [Theory]
    [InlineData("--scenario", "A9")]
    [InlineData("--mix", "1.5")]
    [InlineData("--sybils", "0")]
    [InlineData("--adaptive", "sneaky")]
    [InlineData("--attack-level", "L2")]
    [InlineData("--bogus", "1")]
    public void Parse_BadValue_IsReported(string name, string value)
    {
        TrafficRunOptions.Parse(["--target", "http://127.0.0.1:8080", name, value], needsTarget: true, out var errors);

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Classifier_UsesOneFixedSmallBiasSetWithOneToken()
    {
        var persona = new ClassifierAppPersona(Label(PersonaNames.Classifier), 30, 600, new SeededRandom(2), new PersonaTiming());

        var requests = persona.Schedule.Select(persona.Next).ToList();

        var biases = requests.Select(r => r!.Body["logit_bias"]!.ToJsonString()).Distinct().ToList();
        Assert.Single(biases);
        Assert.InRange(JsonNode.Parse(biases[0])!.AsObject().Count, 2, 5);
        Assert.All(requests, r => Assert.Equal(1, (int)r!.Body["max_tokens"]!));
        Assert.True(requests.Select(r => r!.PromptText).Distinct().Count() > 20);
    }

    [Fact]
    public void Rag_ReusesItsTemplateWithDifferentSnippets()
    {
        var persona = new RagAppPersona(Label(PersonaNames.Rag), 20, 600, new SeededRandom(2), new PersonaTiming());

        var systems = persona.Schedule.Select(s => persona.Next(s)!.Body["messages"]![0]!["content"]!.GetValue<string>()).ToList();

        var prefix = RagAppPersona.Template[..RagAppPersona.Template.IndexOf("{context}", StringComparison.Ordinal)];
        Assert.All(systems, s => Assert.StartsWith(prefix, s, StringComparison.Ordinal));
        Assert.True(systems.Distinct().Count() > 15);
    }

    [Fact]
    public void ChatUser_FollowUpsCarryTheConversation()
    {
        var persona = new ChatUserPersona(Label(PersonaNames.Chat), 12, 3600, new SeededRandom(5), new PersonaTiming());

        foreach (var send in persona.Schedule)
        {
            var request = persona.Next(send)!;
            var messages = request.Body["messages"]!.AsArray();
            Assert.Equal("user", messages[^1]!["role"]!.GetValue<string>());
            if (!send.StartsSession)
            {
                Assert.Contains(messages, m => m!["role"]!.GetValue<string>() == "assistant");
            }

            persona.Observe(request, new TrafficResponse { Status = 200, Content = "Sure. Here is an answer." });
        }

        Assert.Contains(persona.Schedule, s => !s.StartsSession);
    }

    [Fact]
    public void EmbeddingsApp_StaysInItsTopic()
    {
        var persona = new EmbeddingsAppPersona(Label(PersonaNames.Embeddings), 40, 600, new SeededRandom(8), new PersonaTiming());
        var topic = Traffic.Text.WordLists.Topics.Single(t => t.Name == persona.Topic);

        var requests = persona.Schedule.Select(persona.Next).ToList();

        Assert.All(requests, r => Assert.Equal(TrafficRoute.Embeddings, r!.Route));
        Assert.All(requests.Where(r => r!.Kind == "search"), r => Assert.Contains(topic.Nouns, n => r!.PromptText.Contains(n, StringComparison.OrdinalIgnoreCase) || r.PromptText.Contains(topic.Name, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(requests, r => r!.Kind == "index" && RequestShape.Of(r).Items >= 8);
    }

    [Fact]
    public void Pacing_SessionsHaveThinkTimesAndFitTheWindow()
    {
        var plan = new PersonaTiming().Plan(new SessionPacing(3, 25, 0.8), 60, 3600, new SeededRandom(1));

        Assert.Equal(60, plan.Count);
        Assert.True(plan[^1].T <= 3600);
        Assert.Equal(plan.OrderBy(p => p.T), plan);
        Assert.InRange(plan.Count(p => p.StartsSession), 8, 40);
        var fitted = Pacing.FitToWindow(plan, 100, 200);
        Assert.Equal((100.0, 200.0), (fitted[0].T, Math.Round(fitted[^1].T, 9)));
    }

    private static TrafficLabel Label(string family) => new("c", "client", Roles.Benign, family, Variants.None, -1);
}
