namespace GenSafety.ReferenceModel;

/// <summary>Request and response headers the reference model understands or sets.</summary>
public static class ReferenceModelHeaders
{
    /// <summary>Request header: delay in milliseconds between streamed tokens (overrides <see cref="ReferenceModelOptions.StreamTokenDelayMs"/>).</summary>
    public const string TokenDelayMs = "x-reference-token-delay-ms";

    /// <summary>Request header: delay in milliseconds before the response headers are sent (overrides <see cref="ReferenceModelOptions.ResponseDelayMs"/>).</summary>
    public const string ResponseDelayMs = "x-reference-delay-ms";

    /// <summary>Response header on embeddings: the ONNX Runtime execution provider that computed them (<c>CPU</c> or <c>CUDA</c>).</summary>
    public const string ExecutionProvider = "x-reference-execution-provider";
}
