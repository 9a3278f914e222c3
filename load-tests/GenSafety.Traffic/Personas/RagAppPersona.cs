using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// A retrieval-augmented support bot: every request reuses one long system template and fills it with 3–5
/// snippets retrieved from the app's own knowledge base for the end user's question. Low temperature, bounded
/// answers. The shared template prefix is what harvesting detectors must not mistake for an Alpaca prompt.
/// </summary>
public sealed class RagAppPersona : TrafficActor
{
    /// <summary>The app's template; <c>{context}</c> becomes the retrieved snippets.</summary>
    public const string Template = """
        You are the virtual assistant of Northwind Mutual, a home and travel insurance company. You answer questions from
        policyholders in a friendly, professional tone. Follow these rules strictly:
        1. Answer only from the knowledge base excerpts below. If the excerpts do not contain the answer, say that you do
           not know and offer to connect the customer with a human agent at 0800 555 0199 (weekdays 8:00 to 18:00).
        2. Never invent policy numbers, amounts, deadlines or phone numbers.
        3. Quote the excerpt id in square brackets after each fact you use, for example [KB-0012].
        4. Keep the answer under 150 words. Use a short list when the customer must follow steps.
        5. Do not give legal or medical advice, and do not discuss other insurers.
        6. If the customer is upset, acknowledge it briefly before answering.
        7. Answer in the language of the question.

        Knowledge base excerpts:
        {context}

        End of excerpts. Now answer the customer's question.
        """;

    private static readonly string[] SnippetTemplates =
    [
        "Claims for {subject} must be reported within {days} days of discovery, with photos and receipts where available.",
        "The standard deductible for {subject} is {amount} euros; premium plans reduce it to half.",
        "{subject} is covered under the Home Plus plan when it is sudden and accidental; gradual damage is excluded.",
        "For {subject}, a loss adjuster may visit within {days} working days to assess the damage.",
        "Policyholders can add cover for {subject} at renewal or mid-term for a pro-rated fee of {amount} euros per year.",
        "Payouts for {subject} are made by bank transfer within {days} days after the claim is approved.",
        "When travelling abroad, {subject} is covered up to {amount} euros if reported to local authorities within 24 hours.",
    ];

    private readonly SeededRandom _random;
    private readonly List<(string Subject, string Text)> _knowledgeBase = [];

    /// <summary>An app that sends <paramref name="requests"/> requests over about <paramref name="window"/> virtual seconds.</summary>
    public RagAppPersona(TrafficLabel label, int requests, double window, SeededRandom random, PersonaTiming timing)
        : base(label)
    {
        _random = random.Fork("questions");
        var build = random.Fork("knowledge-base");
        var id = 1;
        foreach (var subject in WordLists.PolicySubjects)
        {
            foreach (var template in build.Sample(SnippetTemplates, 3))
            {
                var text = template
                    .Replace("{subject}", subject, StringComparison.Ordinal)
                    .Replace("{days}", build.Next(3, 31).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{amount}", (build.Next(1, 40) * 50).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                _knowledgeBase.Add((subject, $"[KB-{id++:D4}] {char.ToUpperInvariant(text[0])}{text[1..]}"));
            }
        }

        Schedule = timing.Plan(timing.Rag, requests, window, random.Fork("timing"));
    }

    /// <inheritdoc />
    public override TrafficRequest? Next(PlannedSend send)
    {
        var subject = _random.Pick(WordLists.PolicySubjects);
        var question = PromptFactory.Humanize(
            _random.Pick(WordLists.SupportQuestions)
                .Replace("{noun}", subject, StringComparison.Ordinal)
                .Replace("{adj}", _random.Pick(WordLists.Adjectives), StringComparison.Ordinal),
            _random);
        var relevant = _knowledgeBase.Where(k => k.Subject == subject).Select(k => k.Text).ToList();
        var others = _random.Sample(_knowledgeBase.Where(k => k.Subject != subject).Select(k => k.Text).ToList(), _random.Next(1, 3));
        var context = new StringBuilder();
        foreach (var snippet in _random.Sample(relevant, _random.Next(2, relevant.Count + 1)).Concat(others))
        {
            context.Append("- ").AppendLine(snippet);
        }

        var system = Template.Replace("{context}", context.ToString().TrimEnd(), StringComparison.Ordinal);
        return TrafficRequest.Chat("rag", [("system", system), ("user", question)], new JsonObject { ["max_tokens"] = 350, ["temperature"] = 0.2 });
    }
}
