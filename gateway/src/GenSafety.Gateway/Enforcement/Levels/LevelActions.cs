using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// What each level does for a given policy and route. A level's actions come from, most specific first:
/// the policy (<c>GenSafety:Policies:{name}:Actions:L2</c>), the route (<c>GenSafety:Enforcement:Routes:{route}:Actions:L2</c>),
/// the global table (<c>GenSafety:Enforcement:Actions:L2</c>), then <see cref="Defaults"/>. Values are comma-separated
/// action names (<c>delay</c>, <c>degrade</c>, <c>pow</c>, <c>block</c>) or <c>none</c>.
/// </summary>
public sealed class LevelActions
{
    /// <summary>Built-in actions of L0 … L4: none; delay; delay+degrade; degrade+pow; block.</summary>
    public static IReadOnlyList<EnforcementActions> Defaults { get; } =
    [
        EnforcementActions.None,
        EnforcementActions.Delay,
        EnforcementActions.Delay | EnforcementActions.Degrade,
        EnforcementActions.Degrade | EnforcementActions.ProofOfWork,
        EnforcementActions.Block,
    ];

    private readonly EnforcementOptions _options;
    private readonly EnforcementActions[] _global;
    private readonly ConcurrentDictionary<(string Policy, string Route), EnforcementActions[]> _tables = new();

    /// <summary>Builds the global table from validated options.</summary>
    public LevelActions(IOptions<EnforcementOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _global = Overlay([.. Defaults], _options.Actions);
    }

    /// <summary>The actions of every level (index = level) for <paramref name="policy"/> on <paramref name="route"/>.</summary>
    public IReadOnlyList<EnforcementActions> For(string policy, string route)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(route);
        return _tables.TryGetValue((policy, route), out var table) ? table : Build(policy, route);
    }

    /// <summary>The actions of <paramref name="level"/> for <paramref name="policy"/> on <paramref name="route"/>.</summary>
    public EnforcementActions For(EnforcementLevel level, string policy, string route) => For(policy, route)[(int)level];

    /// <summary>Bit <c>k</c> set when level <c>k</c> includes <paramref name="action"/>: the masks the admission script reads.</summary>
    public static int Mask(IReadOnlyList<EnforcementActions> table, EnforcementActions action)
    {
        ArgumentNullException.ThrowIfNull(table);
        var mask = 0;
        for (var level = 0; level < table.Count; level++)
        {
            if ((table[level] & action) != 0)
            {
                mask |= 1 << level;
            }
        }

        return mask;
    }

    /// <summary>Parses <c>delay,degrade,pow,block</c> or <c>none</c>; null when a name is unknown.</summary>
    public static EnforcementActions? Parse(string? value)
    {
        var actions = EnforcementActions.None;
        foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            actions |= part.ToLowerInvariant() switch
            {
                "none" => EnforcementActions.None,
                "delay" => EnforcementActions.Delay,
                "degrade" => EnforcementActions.Degrade,
                "pow" or "proof-of-work" => EnforcementActions.ProofOfWork,
                "block" => EnforcementActions.Block,
                _ => (EnforcementActions?)null,
            } ?? (EnforcementActions)(-1);
            if (actions < 0)
            {
                return null;
            }
        }

        return actions;
    }

    /// <summary>Level index for a key <c>L0</c> … <c>L4</c>; null for anything else.</summary>
    public static int? LevelOf(string key) =>
        key.Length == 2 && (key[0] is 'L' or 'l') && key[1] is >= '0' and <= '4' ? key[1] - '0' : null;

    private EnforcementActions[] Build(string policy, string route)
    {
        var table = (EnforcementActions[])_global.Clone();
        if (_options.Routes.TryGetValue(route, out var routeActions))
        {
            table = Overlay(table, routeActions);
        }

        if (_options.Policies.TryGetValue(policy, out var policyActions))
        {
            table = Overlay(table, policyActions);
        }

        // Bounded: policies and routes are both finite sets from configuration.
        _tables.TryAdd((policy, route), table);
        return table;
    }

    private static EnforcementActions[] Overlay(EnforcementActions[] table, Dictionary<string, string> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (LevelOf(key) is { } level && Parse(value) is { } actions)
            {
                table[level] = actions;
            }
        }

        return table;
    }
}
