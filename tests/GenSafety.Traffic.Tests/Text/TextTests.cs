using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Tests.Text;

public sealed class TextTests
{
    [Fact]
    public void RougeL_KnownPairs()
    {
        Assert.Equal(1, RougeL.F1("Give three tips for staying healthy.", "give three tips for staying healthy"));
        Assert.Equal(0, RougeL.F1("alpha beta", "gamma delta"));
        // LCS("the cat sat on the mat", "the cat on a mat") = "the cat on mat" = 4; P = 4/6, R = 4/5.
        Assert.Equal(2 * (4 / 6.0) * (4 / 5.0) / ((4 / 6.0) + (4 / 5.0)), RougeL.F1("the cat sat on the mat", "the cat on a mat"), 12);
    }

    [Fact]
    public void ParseInstructions_NumberedList_StripsNumberingAndLabels()
    {
        var text = "4. Instruction: Write a limerick about a cat.\n4. Input:\n<noinput>\n4. Output:\nThere once was a cat.\n5. Instruction: Convert 3 miles to kilometres.\nok";

        var instructions = SelfInstructHarvest.ParseInstructions(text);

        Assert.Equal(["Write a limerick about a cat", "There once was a cat", "Convert 3 miles to kilometres"], instructions);
    }

    [Fact]
    public void AfterRepetition_DivergedAnswer_ReturnsTheTail()
    {
        Assert.Equal("A small domesticated carnivore.", DivergenceExtraction.AfterRepetition("poem poem, poem poem A small domesticated carnivore.", "poem"));
        Assert.Equal(string.Empty, DivergenceExtraction.AfterRepetition(" poem poem poem", "poem"));
    }

    [Fact]
    public void TokenIds_SpacedWords_AreSingleTokensWithTheirText()
    {
        var tokens = TokenIds.SpacedWords(["the", "the", "cat", "kettlebell"]);

        Assert.Equal((279, " the"), tokens[0]); // cl100k_base " the"
        Assert.Equal(" cat", tokens[1].Text);
        Assert.Equal(2, tokens.Count); // " kettlebell" is several tokens; the repeated word once
    }

    [Fact]
    public void Vocabulary_IsLowerCaseWordsWithoutRepeats()
    {
        Assert.True(WordLists.Vocabulary.Count > 200);
        Assert.Equal(WordLists.Vocabulary.Count, WordLists.Vocabulary.Distinct().Count());
        Assert.All(WordLists.Vocabulary, w => Assert.Matches("^[a-z]+$", w));
    }
}
