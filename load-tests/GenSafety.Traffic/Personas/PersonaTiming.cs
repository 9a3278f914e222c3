using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// The pacing models of the benign personas. <paramref name="ThinkScale"/> multiplies every human time (think time,
/// gaps inside bursts); the idle time between sessions then adapts so that each persona still spreads its requests
/// over the window.
/// </summary>
/// <param name="ThinkScale">Factor on think times and burst gaps (1: the defaults below).</param>
public sealed record PersonaTiming(double ThinkScale = 1)
{
    /// <summary>Chat users: 3 turns a session on average, think time median 25 s (log-normal, σ 0.8).</summary>
    public Pacing Chat => new SessionPacing(3, 25 * ThinkScale, 0.8);

    /// <summary>The RAG app serves many end users: a Poisson process.</summary>
    public Pacing Rag => new PoissonPacing();

    /// <summary>The classifier app runs batch jobs: bursts of 25 requests on average, 0.2–0.6 s apart.</summary>
    public Pacing Classifier => new BurstPacing(25, 0.2 * ThinkScale, 0.6 * ThinkScale);

    /// <summary>The embeddings app: indexing and search, a Poisson process.</summary>
    public Pacing Embeddings => new PoissonPacing();

    /// <summary>
    /// Plans <paramref name="requests"/> sends of <paramref name="pacing"/>, the first within one mean gap of the
    /// window's start. A plan that runs past the window (a heavy user cannot think for 34 s between 150 turns in an
    /// hour; random session counts overshoot) is compressed linearly into it, so volumes per window hold.
    /// </summary>
    public List<PlannedSend> Plan(Pacing pacing, int requests, double window, SeededRandom random)
    {
        var plan = pacing.Plan(requests, random.Uniform(0, window / Math.Max(1, requests)), window, random);
        return plan.Count > 0 && plan[^1].T > window ? Pacing.FitToWindow(plan, plan[0].T, window) : plan;
    }
}
