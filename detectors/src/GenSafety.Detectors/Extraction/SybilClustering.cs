namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Groups clients joined by strong links (union–find with path halving and union by size) and spreads a cluster's
/// highest risk to its members. Pure functions over indices 0 … n−1 of the caller's client list.
/// </summary>
public static class SybilClustering
{
    /// <summary>
    /// The cluster of each of <paramref name="clientCount"/> clients, joining the two ends of every link whose score
    /// is at least <paramref name="threshold"/>; a cluster is named by its smallest member, so an unlinked client is
    /// its own cluster.
    /// </summary>
    public static int[] Cluster(int clientCount, IEnumerable<ClientLink> links, double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clientCount);
        ArgumentNullException.ThrowIfNull(links);
        var parent = new int[clientCount];
        var size = new int[clientCount];
        for (var i = 0; i < clientCount; i++)
        {
            parent[i] = i;
            size[i] = 1;
        }

        foreach (var link in links)
        {
            if ((uint)link.A >= (uint)clientCount || (uint)link.B >= (uint)clientCount)
            {
                throw new ArgumentException($"Link ({link.A}, {link.B}) names a client outside 0–{clientCount - 1}.", nameof(links));
            }

            if (link.Score >= threshold)
            {
                Union(parent, size, link.A, link.B);
            }
        }

        // Name each cluster by its smallest member: the first member met in index order.
        var name = new int[clientCount];
        Array.Fill(name, -1);
        var labels = new int[clientCount];
        for (var i = 0; i < clientCount; i++)
        {
            var root = Find(parent, i);
            if (name[root] < 0)
            {
                name[root] = i;
            }

            labels[i] = name[root];
        }

        return labels;
    }

    /// <summary>
    /// Writes to <paramref name="destination"/> each client's cluster maximum of <paramref name="scores"/>, with
    /// <paramref name="clusters"/> from <see cref="Cluster"/>: a sybil that looks clean alone inherits its cluster's risk.
    /// </summary>
    public static void PropagateMax(ReadOnlySpan<int> clusters, ReadOnlySpan<double> scores, Span<double> destination)
    {
        if (scores.Length != clusters.Length || destination.Length != clusters.Length)
        {
            throw new ArgumentException("Clusters, scores and destination must be equally long.", nameof(destination));
        }

        var maxima = new double[clusters.Length];
        Array.Fill(maxima, double.NegativeInfinity);
        for (var i = 0; i < clusters.Length; i++)
        {
            if ((uint)clusters[i] >= (uint)clusters.Length)
            {
                throw new ArgumentException($"Cluster label {clusters[i]} is not a client index.", nameof(clusters));
            }

            maxima[clusters[i]] = Math.Max(maxima[clusters[i]], scores[i]);
        }

        for (var i = 0; i < clusters.Length; i++)
        {
            destination[i] = maxima[clusters[i]];
        }
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int[] size, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a == b)
        {
            return;
        }

        if (size[a] < size[b])
        {
            (a, b) = (b, a);
        }

        parent[b] = a;
        size[a] += size[b];
    }
}
