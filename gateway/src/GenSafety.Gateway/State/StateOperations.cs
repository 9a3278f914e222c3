namespace GenSafety.Gateway.State;

/// <summary>Names of store operations, used as the <c>operation</c> tag and in error messages.</summary>
internal static class StateOperations
{
    public const string CreateClient = "create_client";
    public const string GetClient = "get_client";
    public const string SetPolicy = "set_policy";
    public const string GetApiKey = "get_api_key";
    public const string DeleteClient = "delete_client";
    public const string RecordUsage = "record_usage";
    public const string GetUsage = "get_usage";
    public const string Health = "health";
}
