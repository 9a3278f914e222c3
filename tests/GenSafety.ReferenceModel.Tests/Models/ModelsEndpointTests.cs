using GenSafety.ReferenceModel.Tests.TestHost;
using OpenAI.Models;

namespace GenSafety.ReferenceModel.Tests.Models;

[Collection(SharedHostGroup.Name)]
public sealed class ModelsEndpointTests(SharedHost shared)
{
    private readonly ReferenceModelHost _host = shared.Host;

    [Fact]
    public async Task GetModels_OpenAIClient_ListsServedModels()
    {
        OpenAIModelCollection models = await _host.OpenAI().GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["reference-ngram", "reference-minilm", "reference-image"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal("gensafety", m.OwnedBy));
    }

    [Fact]
    public async Task GetModel_KnownId_ReturnsModel()
    {
        OpenAIModel model = await _host.OpenAI().GetOpenAIModelClient().GetModelAsync("reference-minilm");

        Assert.Equal("reference-minilm", model.Id);
    }
}
