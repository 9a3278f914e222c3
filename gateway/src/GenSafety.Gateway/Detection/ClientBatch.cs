namespace GenSafety.Gateway.Detection;

/// <summary>One client's share of a micro-batch while the pipeline works on it.</summary>
internal sealed class ClientBatch(string tenant, string clientId)
{
    public string Tenant { get; } = tenant;

    public string ClientId { get; } = clientId;

    /// <summary>The client's events, oldest first.</summary>
    public List<QueryEvent> Events { get; } = [];

    /// <summary>Prompt vectors parallel to <see cref="Events"/> (empty until embedded).</summary>
    public float[]?[] Vectors { get; set; } = [];

    /// <summary>Query-text vectors parallel to <see cref="Events"/> (empty until embedded).</summary>
    public float[]?[] QueryVectors { get; set; } = [];

    /// <summary>The embedder that made <see cref="Vectors"/> and <see cref="QueryVectors"/>.</summary>
    public string Embedder { get; set; } = string.Empty;

    /// <summary>Groups <paramref name="events"/> by client, keeping each client's order.</summary>
    public static List<ClientBatch> Group(IEnumerable<QueryEvent> events)
    {
        var byClient = new Dictionary<(string, string), ClientBatch>();
        var clients = new List<ClientBatch>();
        foreach (var queryEvent in events)
        {
            if (!byClient.TryGetValue((queryEvent.Tenant, queryEvent.ClientId), out var client))
            {
                client = new ClientBatch(queryEvent.Tenant, queryEvent.ClientId);
                byClient.Add((queryEvent.Tenant, queryEvent.ClientId), client);
                clients.Add(client);
            }

            client.Events.Add(queryEvent);
        }

        return clients;
    }
}
