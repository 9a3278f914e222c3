namespace GenSafety.ReferenceModel.Http;

/// <summary>A request the server rejects; turned into an OpenAI-shaped error response.</summary>
internal sealed class OpenAiRequestException : Exception
{
    public OpenAiRequestException()
        : this("Invalid request.")
    {
    }

    public OpenAiRequestException(string message)
        : this(message, param: null)
    {
    }

    public OpenAiRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpenAiRequestException(string message, string? param, string? code = null, int statusCode = StatusCodes.Status400BadRequest)
        : base(message)
    {
        Param = param;
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>HTTP status of the error response.</summary>
    public int StatusCode { get; } = StatusCodes.Status400BadRequest;

    /// <summary>The offending request field, if any.</summary>
    public string? Param { get; }

    /// <summary>Machine-readable error code, if any.</summary>
    public string? Code { get; }

    /// <summary>OpenAI error type.</summary>
    public string Type { get; } = "invalid_request_error";
}
