using System.Globalization;
using GenSafety.Traffic.Campaigns;

namespace GenSafety.Traffic.Cli;

/// <summary><c>plan</c>: builds each campaign and prints its clients and planned volumes, without sending anything.</summary>
public static class PlanCommand
{
    /// <summary>Prints the plan of every campaign in <paramref name="options"/>.</summary>
    public static int Execute(TrafficRunOptions options, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var spec in options.Campaigns)
        {
            var campaign = Campaign.Build(spec);
            output.WriteLine(string.Create(c, $"== {campaign.Id}: {campaign.Actors.Sum(a => a.Schedule.Count)} requests over {campaign.SpanSeconds:F0} virtual s"));
            output.WriteLine("| role | family | clients | requests | min/median/max per client | first send s | last send s |");
            output.WriteLine("| --- | --- | ---: | ---: | --- | ---: | ---: |");
            foreach (var group in campaign.Actors.GroupBy(a => (a.Label.Role, a.Label.Family)))
            {
                var counts = group.Select(a => a.Schedule.Count).Order().ToList();
                var first = group.Min(a => a.Schedule[0].T);
                var last = group.Max(a => a.Schedule[^1].T);
                output.WriteLine(string.Create(c,
                    $"| {group.Key.Role} | {group.Key.Family} | {counts.Count} | {counts.Sum()} | {counts[0]}/{counts[counts.Count / 2]}/{counts[^1]} | {first:F1} | {last:F1} |"));
            }

            output.WriteLine();
        }

        return 0;
    }
}
