using GenSafety.Gateway.Enforcement.Levels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

/// <summary>Builds the enforcement ladder the way the gateway does: configuration → <c>AddClientStateStore</c> + <c>AddEnforcementLevels</c>.</summary>
internal static class LevelsTestServices
{
    public static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider? timeProvider = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton(timeProvider ?? TimeProvider.System)
            .AddClientStateStore(configuration).AddEnforcementLevels(configuration)
            .BuildServiceProvider(validateScopes: true);
    }

    /// <summary>The bound and validated options of <paramref name="settings"/> (throws <see cref="OptionsValidationException"/> when invalid).</summary>
    public static EnforcementOptions BindOptions(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        using ServiceProvider services = Build(settings);
        return services.GetRequiredService<IOptions<EnforcementOptions>>().Value;
    }

    /// <summary>Options with the defaults, changed by <paramref name="configure"/>.</summary>
    public static EnforcementOptions NewOptions(Action<EnforcementOptions>? configure = null)
    {
        var options = new EnforcementOptions();
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A ladder over <see cref="NewOptions"/>.</summary>
    public static RiskLadder Ladder(Action<EnforcementOptions>? configure = null) => new(Options.Create(NewOptions(configure)));
}
