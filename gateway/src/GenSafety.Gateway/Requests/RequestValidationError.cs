namespace GenSafety.Gateway.Requests;

/// <summary>Why a request body was rejected; becomes a 400 <c>invalid_request</c> with <c>param</c> set.</summary>
/// <param name="Message">What is wrong, in words a client developer can act on.</param>
/// <param name="Param">The offending field, if there is one.</param>
public sealed record RequestValidationError(string Message, string? Param);
