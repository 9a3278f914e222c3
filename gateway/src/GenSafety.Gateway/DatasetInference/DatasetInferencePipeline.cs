using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// One dataset inference from documents to report, shared by the API's worker and the command line: documents are
/// chunked (<see cref="DocumentChunker"/>), every chunk and its perturbations scored on the upstream
/// (<see cref="DocumentFeatureExtractor"/>), and the chunks analysed (<see cref="DatasetInferenceAnalysis"/>).
/// </summary>
public static class DatasetInferencePipeline
{
    /// <summary>The chunks of each document set.</summary>
    public static (IReadOnlyList<string> Suspect, IReadOnlyList<string> Heldout) Chunk(IReadOnlyList<string> suspect, IReadOnlyList<string> heldout)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        ArgumentNullException.ThrowIfNull(heldout);
        return ([.. suspect.SelectMany(DocumentChunker.Chunk)], [.. heldout.SelectMany(DocumentChunker.Chunk)]);
    }

    /// <summary>Upstream texts a job scores: each chunk and each of its perturbations (the reference scores each chunk once more).</summary>
    public static long TextsToScore(int chunks, int perturbations, bool withReference) => (long)chunks * (1 + perturbations + (withReference ? 1 : 0));

    /// <summary>Scores the chunks and analyses them.</summary>
    public static async Task<DatasetInferenceReport> RunAsync(
        IReadOnlyList<string> suspectChunks, IReadOnlyList<string> heldoutChunks, DocumentFeatureExtractor extractor, DatasetInferenceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suspectChunks);
        ArgumentNullException.ThrowIfNull(heldoutChunks);
        ArgumentNullException.ThrowIfNull(extractor);
        var suspect = await extractor.ExtractAsync(suspectChunks, cancellationToken).ConfigureAwait(false);
        var heldout = await extractor.ExtractAsync(heldoutChunks, cancellationToken).ConfigureAwait(false);
        return DatasetInferenceAnalysis.Analyze(
            [.. suspectChunks.Zip(suspect, (text, row) => new ScoredDocument(text, row))],
            [.. heldoutChunks.Zip(heldout, (text, row) => new ScoredDocument(text, row))],
            extractor.FeatureNames,
            options);
    }
}
