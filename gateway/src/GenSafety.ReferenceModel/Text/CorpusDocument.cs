namespace GenSafety.ReferenceModel.Text;

/// <summary>One document of the shipped corpus; <paramref name="Duplicates"/> is how many times it is trained on.</summary>
internal sealed record CorpusDocument(string Id, string Text, int Duplicates);
