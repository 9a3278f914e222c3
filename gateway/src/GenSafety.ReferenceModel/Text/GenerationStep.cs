namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// What one decoding step produced. <see cref="Token"/> is -1 for the final step that only releases text held
/// back for stop-sequence matching. <see cref="Delta"/> is the text that may be shown now.
/// </summary>
internal readonly record struct GenerationStep(int Token, double Logprob, (int Token, double Logprob)[] Top, string Delta, int TextOffset)
{
    public bool HasToken => Token >= 0;
}
