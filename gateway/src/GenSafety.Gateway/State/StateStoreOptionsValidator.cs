using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.State;

/// <summary>Checks <see cref="StateStoreOptions"/> at start-up and reports every problem at once.</summary>
public sealed class StateStoreOptionsValidator : IValidateOptions<StateStoreOptions>
{
    private static readonly TimeSpan MaxOperationTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinIdleClientTtl = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = StateStoreOptions.SectionName;

        if (!StateIds.IsValid(options.KeyPrefix))
        {
            errors.AddError($"{Section}:KeyPrefix must be 1 to {StateIds.MaxLength} letters, digits, '-' or '_'.");
        }

        if (options.IdleClientTtl < MinIdleClientTtl)
        {
            errors.AddError($"{Section}:IdleClientTtl must be at least {MinIdleClientTtl}.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > MaxOperationTimeout)
        {
            errors.AddError($"{Section}:OperationTimeout must be greater than zero and at most {MaxOperationTimeout}.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > MaxOperationTimeout)
        {
            errors.AddError($"{Section}:ConnectTimeout must be greater than zero and at most {MaxOperationTimeout}.");
        }

        if (options.UsesRedis && !CanParse(options.ConnectionString!))
        {
            // The connection string may hold a password: say that it is wrong, never what it is.
            errors.AddError($"{Section}:ConnectionString is not a valid StackExchange.Redis connection string.");
        }

        return errors.Build();
    }

    private static bool CanParse(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
