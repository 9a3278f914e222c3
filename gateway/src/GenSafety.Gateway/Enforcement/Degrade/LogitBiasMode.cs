namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>How a degraded request's <c>logit_bias</c> is handled (<see cref="DegradeOptions.LogitBias"/>).</summary>
public enum LogitBiasMode
{
    /// <summary>Remove the field and forward the rest of the request.</summary>
    Strip = 0,

    /// <summary>Refuse the request with <c>400 invalid_request</c>, <c>param: "logit_bias"</c>.</summary>
    Reject = 1,
}
