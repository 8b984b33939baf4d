using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// The hub connections of this silo, by the actor id of the person who opened them (the
/// <c>actor_id</c> claim), and the groups each has joined. Signing out closes that person's
/// connections (here, and on every silo through <see cref="HubClusterNotices"/>), and a connection
/// may join at most <see cref="MaxGroupsPerConnection"/> groups.
/// </summary>
public sealed class HubConnections
{
    public const int MaxGroupsPerConnection = 50;

    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext context) =>
        _connections[context.ConnectionId] = new Connection(context, context.User?.ActorId());

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Records that the connection joins <paramref name="group"/>; false when it already holds its limit of groups.</summary>
    public bool TryJoin(string connectionId, string group) =>
        !_connections.TryGetValue(connectionId, out var connection) || connection.TryJoin(group);

    public void Leave(string connectionId, string group)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.Leave(group);
        }
    }

    /// <summary>Closes every hub connection of this person (<paramref name="actorId"/>) on this silo; answers how many.</summary>
    public int CloseAll(string actorId)
    {
        var closed = 0;
        foreach (var connection in _connections.Values.Where(c => c.ActorId == actorId))
        {
            connection.Context.Abort();
            Remove(connection.Context.ConnectionId);
            closed++;
        }

        return closed;
    }

    private sealed class Connection(HubCallerContext context, string? actorId)
    {
        private readonly HashSet<string> _groups = new(StringComparer.Ordinal);

        public HubCallerContext Context { get; } = context;

        public string? ActorId { get; } = actorId;

        public bool TryJoin(string group)
        {
            lock (_groups)
            {
                return _groups.Contains(group) || (_groups.Count < MaxGroupsPerConnection && _groups.Add(group));
            }
        }

        public void Leave(string group)
        {
            lock (_groups)
            {
                _groups.Remove(group);
            }
        }
    }
}
