using System.Globalization;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>The window's features (see <see cref="ApiSurfaceScore"/>).</summary>
/// <param name="Requests">Text-generation requests in the window (n).</param>
/// <param name="BiasShare">Share of them with a non-empty <c>logit_bias</c>.</param>
/// <param name="ExtremeShare">Share with an extreme bias.</param>
/// <param name="ProbeShare">Share asking logprobs with a tiny <c>max_tokens</c>.</param>
/// <param name="ResweepShare">Share of biased requests re-asking a prompt with a new bias set.</param>
/// <param name="BisectShare">Share of biased requests that are halving steps.</param>
/// <param name="DistinctIds">Estimated distinct biased token ids (last one to one and a half windows).</param>
/// <param name="IdsPerRequest">Mean biased ids per biased request.</param>
/// <param name="MaxPromptIds">Most distinct biased ids estimated for one prompt.</param>
internal readonly record struct ApiSurfaceFeatures(
    int Requests, double BiasShare, double ExtremeShare, double ProbeShare, double ResweepShare, double BisectShare,
    double DistinctIds, double IdsPerRequest, double MaxPromptIds);

/// <summary>
/// The <c>api-surface</c> score (Carlini et al. 2024, Finlayson et al. 2024: logit extraction through
/// <c>logit_bias</c> + logprobs, or bisection on the bias without logprobs). With <c>sat(x, a, b) = clamp(ln(x/a) /
/// ln(b/a), 0, 1)</c> and sweeps = distinct biased ids ÷ ids per request (≈ 1 for an app that reuses its bias set):
/// <code>
/// T_sweep   = biasShare · sat(sweeps, FreeSweeps, SaturatingSweeps)               (0 below MinSweepIds ids)
/// T_prompt  = sat(maxPromptIds / idsPerRequest, FreeSweeps, SaturatingPromptSweeps) (0 below MinPromptSweepIds)
/// T_resweep = resweepShare      T_bisect = bisectShare
/// evidence  = 1 − (1 − T_sweep)(1 − T_prompt)(1 − T_resweep)(1 − T_bisect)
/// surface   = SurfaceBase + (1 − SurfaceBase) · max(extremeShare, probeShare)
/// score     = surface · evidence · min(1, n / MinRequests)
/// </code>
/// </summary>
internal static class ApiSurfaceScore
{
    /// <summary>The features of the requests in <paramref name="state"/> no older than <paramref name="window"/> seconds before <paramref name="now"/>.</summary>
    public static ApiSurfaceFeatures Features(ApiSurfaceState state, uint now, uint window)
    {
        int n = 0, biased = 0, extreme = 0, probe = 0, resweep = 0, bisect = 0;
        long ids = 0;
        for (var i = 0; i < state.Count; i++)
        {
            var record = state.Ring[(state.Head - 1 - i + state.Ring.Length) % state.Ring.Length];
            if (Age(now, record.Time) > window)
            {
                break;
            }

            var flags = (RequestFlags)record.Flags;
            n++;
            extreme += (flags & RequestFlags.Extreme) != 0 ? 1 : 0;
            probe += (flags & RequestFlags.Probe) != 0 ? 1 : 0;
            if ((flags & RequestFlags.Bias) != 0)
            {
                biased++;
                ids += record.BiasedIds;
                resweep += (flags & RequestFlags.Resweep) != 0 ? 1 : 0;
                bisect += (flags & RequestFlags.Bisect) != 0 ? 1 : 0;
            }
        }

        var maxPrompt = 0.0;
        foreach (var slot in state.Slots)
        {
            if (!slot.IsEmpty && Age(now, slot.LastSeen) <= window)
            {
                maxPrompt = Math.Max(maxPrompt, IdSketch.Estimate(slot.Ids));
            }
        }

        return new ApiSurfaceFeatures(
            n, Share(biased, n), Share(extreme, n), Share(probe, n), Share(resweep, biased), Share(bisect, biased),
            biased == 0 ? 0 : IdSketch.Estimate(state.CurrentIds, state.PreviousIds), biased == 0 ? 0 : (double)ids / biased, maxPrompt);
    }

    /// <summary>The score in [0, 1] and its reason.</summary>
    public static (double Score, string Reason) Score(ApiSurfaceFeatures f, ApiSurfaceOptions options)
    {
        if (f.Requests == 0)
        {
            return (0, "no text-generation requests in the window");
        }

        var perRequest = Math.Max(1, f.IdsPerRequest);
        var sweeps = f.DistinctIds / perRequest;
        var promptSweeps = f.MaxPromptIds / perRequest;
        var sweep = f.DistinctIds >= options.MinSweepIds ? f.BiasShare * Sat(sweeps, options.FreeSweeps, options.SaturatingSweeps) : 0;
        var prompt = f.MaxPromptIds >= options.MinPromptSweepIds ? Sat(promptSweeps, options.FreeSweeps, options.SaturatingPromptSweeps) : 0;
        var evidence = 1 - ((1 - sweep) * (1 - prompt) * (1 - f.ResweepShare) * (1 - f.BisectShare));
        var surface = options.SurfaceBase + ((1 - options.SurfaceBase) * Math.Max(f.ExtremeShare, f.ProbeShare));
        var confidence = Math.Min(1, (double)f.Requests / options.MinRequests);
        var score = Math.Clamp(surface * evidence * confidence, 0, 1);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{f.Requests} requests: logit_bias {P(f.BiasShare)}, |bias|>={options.ExtremeBias:0} {P(f.ExtremeShare)}, logprobs with max_tokens<={options.ProbeMaxTokens} {P(f.ProbeShare)}; ~{f.DistinctIds:0} biased ids ({sweeps:0.#} sweeps, {promptSweeps:0.#} on one prompt); new bias set on a repeated prompt {P(f.ResweepShare)}; halving steps {P(f.BisectShare)}");
        return (score, reason);
    }

    /// <summary>Seconds from <paramref name="time"/> to <paramref name="now"/> (0 for a time ahead of the clock, as another replica's may be).</summary>
    public static uint Age(uint now, uint time) => time >= now ? 0 : now - time;

    private static double Sat(double x, double free, double full) => x <= free ? 0 : Math.Min(1, Math.Log(x / free) / Math.Log(full / free));

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static string P(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%");
}
