using GenSafety.Detectors.Training.Dataset;
using GenSafety.Traffic.Campaigns;

namespace GenSafety.Detectors.Training.Tests.Dataset;

public sealed class DatasetFileTests
{
    private static readonly CampaignSpec[] SmallCampaigns =
    [
        new() { Scenario = CampaignSpec.BenignOnly, Queries = 300, BenignClients = 12, Seed = 4, RunId = "t" },
        new() { Scenario = "A1", Queries = 300, BenignClients = 8, Seed = 5, RunId = "t" },
    ];

    [Fact]
    public async Task Build_SameSeed_SameRows()
    {
        var first = await DatasetBuilder.BuildAsync(SmallCampaigns, 4, TimeSpan.FromSeconds(2), null, CancellationToken.None);
        var second = await DatasetBuilder.BuildAsync(SmallCampaigns, 4, TimeSpan.FromSeconds(2), null, CancellationToken.None);

        Assert.Equal(first.Count, second.Count);
        Assert.Contains(first, r => r.Attack);
        Assert.Contains(first, r => !r.Attack);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal((first[i].Client, first[i].Requests), (second[i].Client, second[i].Requests));
            Assert.Equal(first[i].Window, second[i].Window);
        }
    }

    [Fact]
    public async Task WriteRead_RoundTrips()
    {
        var rows = await DatasetBuilder.BuildAsync(SmallCampaigns, 4, TimeSpan.FromSeconds(2), null, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"learned-{Guid.NewGuid():N}.jsonl");
        try
        {
            DatasetFile.Write(path, new LearnedDataset(4, DatasetSizes.Ci, 4, rows));

            var read = DatasetFile.Read(path);

            Assert.Equal((4UL, 4, rows.Count), (read.Seed, read.Window, read.Rows.Count));
            Assert.Equal(rows[^1].Window, read.Rows[^1].Window);
            Assert.Equal(rows[^1] with { Window = [] }, read.Rows[^1] with { Window = [] }, new RowComparer());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_OtherFeatureList_Refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"learned-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, """{"format":"gensafety-learned-dataset","version":2,"seed":1,"size":"ci","window":8,"features":["a","b"]}""" + "\n");

            var error = Assert.Throws<InvalidDataException>(() => DatasetFile.Read(path));

            Assert.Contains("rebuild the dataset", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class RowComparer : IEqualityComparer<DatasetRow>
    {
        public bool Equals(DatasetRow? x, DatasetRow? y) => x is not null && y is not null
            && (x.Campaign, x.Client, x.Family, x.Attack, x.Requests) == (y.Campaign, y.Client, y.Family, y.Attack, y.Requests)
            && Math.Abs(x.AnalyticRisk - y.AnalyticRisk) < 1e-6;

        public int GetHashCode(DatasetRow obj) => obj.Client.GetHashCode(StringComparison.Ordinal);
    }
}
