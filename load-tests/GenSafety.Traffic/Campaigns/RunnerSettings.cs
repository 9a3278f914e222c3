namespace GenSafety.Traffic.Campaigns;

/// <summary>How a campaign is played against a target.</summary>
/// <param name="Concurrency">Requests in flight at most.</param>
/// <param name="Speedup">Virtual seconds per wall second; 0 sends as fast as the order and <paramref name="Concurrency"/> allow (the default: the planned times are still recorded).</param>
/// <param name="StopOnBlock">A client answered <c>403 client_blocked</c> or <c>401</c> sends nothing more (a blocked attacker key is burnt; a blocked user gives up).</param>
public sealed record RunnerSettings(int Concurrency = 16, double Speedup = 0, bool StopOnBlock = true);
