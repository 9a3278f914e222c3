using System.Text.Json;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// The shipped corpus: general training text, members (trained on, some several times) and non-members
/// (same distribution, never trained on).
/// </summary>
internal sealed class ReferenceCorpus
{
    /// <summary>File of general training text, one document per line.</summary>
    public const string TrainFile = "corpus.train.txt";

    /// <summary>JSON lines <c>{"id","duplicates","text"}</c>: documents the model has seen.</summary>
    public const string MembersFile = "members.jsonl";

    /// <summary>JSON lines <c>{"id","text"}</c>: documents the model has never seen.</summary>
    public const string NonMembersFile = "nonmembers.jsonl";

    private ReferenceCorpus(IReadOnlyList<string> general, IReadOnlyList<CorpusDocument> members, IReadOnlyList<CorpusDocument> nonMembers)
    {
        General = general;
        Members = members;
        NonMembers = nonMembers;
    }

    /// <summary>General training documents.</summary>
    public IReadOnlyList<string> General { get; }

    /// <summary>Member documents.</summary>
    public IReadOnlyList<CorpusDocument> Members { get; }

    /// <summary>Non-member documents.</summary>
    public IReadOnlyList<CorpusDocument> NonMembers { get; }

    /// <summary>Every training document with the number of times it is trained on (members: their duplication count).</summary>
    public IEnumerable<(string Text, int Copies)> TrainingDocuments() =>
        General.Select(text => (text, 1)).Concat(Members.Select(m => (m.Text, m.Duplicates)));

    /// <summary>Reads the corpus from <paramref name="dataDirectory"/>.</summary>
    public static ReferenceCorpus Load(string dataDirectory)
    {
        var general = File.ReadAllLines(Path.Combine(dataDirectory, TrainFile))
            .Where(line => line.Length > 0)
            .ToArray();
        return new ReferenceCorpus(
            general,
            ReadJsonLines(Path.Combine(dataDirectory, MembersFile)),
            ReadJsonLines(Path.Combine(dataDirectory, NonMembersFile)));
    }

    private static CorpusDocument[] ReadJsonLines(string path)
    {
        var documents = new List<CorpusDocument>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var duplicates = root.TryGetProperty("duplicates", out var d) ? d.GetInt32() : 0;
            documents.Add(new CorpusDocument(root.GetProperty("id").GetString()!, root.GetProperty("text").GetString()!, duplicates));
        }

        return documents.ToArray();
    }
}
