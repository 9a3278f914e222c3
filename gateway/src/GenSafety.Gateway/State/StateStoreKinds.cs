namespace GenSafety.Gateway.State;

/// <summary>Values of <see cref="IClientStateStore.Kind"/>.</summary>
public static class StateStoreKinds
{
    /// <summary>Shared state in Redis.</summary>
    public const string Redis = "redis";

    /// <summary>In-process state, single instance.</summary>
    public const string Memory = "memory";
}
