using GenSafety.Detectors.DatasetInference;
using GenSafety.Gateway.DatasetInference;

namespace GenSafety.Gateway.Tests.DatasetInference;

public sealed class SynonymPerturbationTests
{
    [Fact]
    public void ShippedLexicon_GivesEachWordItsGroupsOtherWords_AndPerturbsText()
    {
        var map = DatasetInferenceUpstream.SynonymsFor([TextPerturbationKind.Synonym])!;
        Assert.True(map.Count > 4000, $"{map.Count} words");
        Assert.All(map.Take(200), pair => Assert.DoesNotContain(pair.Key, pair.Value));
        Assert.Null(DatasetInferenceUpstream.SynonymsFor([TextPerturbationKind.Typos]));

        // A text made of lexicon words changes under the perturbation, and only by swapping words for their synonyms.
        var words = map.Keys.Order(StringComparer.Ordinal).Take(60).ToArray();
        var text = string.Join(' ', words);
        var perturbed = TextPerturbation.Apply(text, TextPerturbationKind.Synonym, 3, map).Split(' ');
        Assert.NotEqual(words, perturbed);
        Assert.All(words.Zip(perturbed), pair => Assert.True(pair.First == pair.Second || map[pair.First].Contains(pair.Second), $"{pair.First} → {pair.Second}"));
    }
}
