namespace GenSafety.Gateway.Errors;

/// <summary>The <c>error.code</c> values the gateway itself emits (OpenAI error shape).</summary>
public static class ErrorCodes
{
    /// <summary>Missing, malformed or unknown client key (401).</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <summary>The request is malformed: bad JSON, wrong field types, missing fields (400/404/405/415).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The request body exceeds the configured cap (413).</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>Request or token limits exceeded (429).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A proof-of-work challenge must be solved first (429).</summary>
    public const string ChallengeRequired = "challenge_required";

    /// <summary>The client is blocked (403).</summary>
    public const string ClientBlocked = "client_blocked";

    /// <summary>An output was stopped by the memorization guard.</summary>
    public const string OutputBlocked = "output_blocked";

    /// <summary>The upstream could not be reached or failed before answering (502/503).</summary>
    public const string UpstreamUnavailable = "upstream_unavailable";

    /// <summary>The upstream did not answer within the configured timeout (504).</summary>
    public const string UpstreamTimeout = "upstream_timeout";

    /// <summary>The upstream answered with something that is not a valid response (502).</summary>
    public const string UpstreamInvalidResponse = "upstream_invalid_response";

    /// <summary>The upstream answered with an error that was not in OpenAI shape; status is kept.</summary>
    public const string UpstreamError = "upstream_error";

    /// <summary>The shared state store is unreachable and the request needed it (503).</summary>
    public const string StateStoreUnavailable = "state_store_unavailable";

    /// <summary>An unexpected fault inside the gateway (500).</summary>
    public const string GatewayError = "gateway_error";

    /// <summary>The admin token is missing or wrong (401).</summary>
    public const string InvalidAdminToken = "invalid_admin_token";

    /// <summary>The named resource does not exist (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The resource exists already (409).</summary>
    public const string Conflict = "conflict";
}
