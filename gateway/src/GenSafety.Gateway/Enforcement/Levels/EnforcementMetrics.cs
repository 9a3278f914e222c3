using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Meter <c>GenSafety.Gateway.Enforcement</c>: <c>gensafety.enforcement.actions</c> counts what the ladder did to
/// requests, tagged <c>level</c> (L0 … L4), <c>action</c> (allow, delay, degrade, challenge, pow_accepted,
/// pow_rejected, block) and <c>policy</c> (configured names only); <c>gensafety.enforcement.delay</c> records
/// added delays (s). No client ids.
/// </summary>
public sealed class EnforcementMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "GenSafety.Gateway.Enforcement";

    private static readonly string[] LevelTags = ["L0", "L1", "L2", "L3", "L4"];
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _delay;
    private readonly Histogram<double> _risk;

    /// <summary>Creates the instruments.</summary>
    public EnforcementMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _actions = meter.CreateCounter<long>("gensafety.enforcement.actions", unit: "{request}", description: "Enforcement actions taken on requests, by level, action and policy.");
        _delay = meter.CreateHistogram<double>("gensafety.enforcement.delay", unit: "s", description: "Delay added to requests at level L1 and above.");
        _risk = meter.CreateHistogram<double>("gensafety.enforcement.risk", unit: "1", description: "Fused risk of the client at admission, per request, by the level it put the client at.");
    }

    /// <summary>Counts one action.</summary>
    public void Action(EnforcementLevel level, string action, string policy)
    {
        if (_actions.Enabled)
        {
            _actions.Add(1, new("level", LevelTags[(int)level]), new("action", action), new("policy", policy));
        }
    }

    /// <summary>Records an added delay.</summary>
    public void Delay(TimeSpan delay) => _delay.Record(delay.TotalSeconds);

    /// <summary>Records the fused risk a request was admitted (or refused) at.</summary>
    public void Risk(EnforcementLevel level, double risk)
    {
        if (_risk.Enabled)
        {
            _risk.Record(risk, new KeyValuePair<string, object?>("level", LevelTags[(int)level]));
        }
    }
}
