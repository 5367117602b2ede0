using System;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The live TLS connections of the EST listener and whose they are, so that a revocation can
/// drop a device's connections at once — idle keep-alive connections included, which no
/// request handler would ever see again — and so that request handlers reuse the identity
/// resolved at the handshake instead of building the chain again.
/// </summary>
public sealed class DeviceConnections
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);

    /// <summary>Live connections.</summary>
    public int Count => _connections.Count;

    /// <summary>Records an accepted connection; it is forgotten when the connection closes.</summary>
    public void Register(ConnectionContext connection, ClientIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(identity);
        var id = connection.ConnectionId;
        _connections[id] = new Entry(connection, identity);
        connection.ConnectionClosed.Register(static state =>
        {
            var (owner, connectionId) = ((DeviceConnections, string))state!;
            owner._connections.TryRemove(connectionId, out _);
        }, (this, id));
    }

    /// <summary>The identity resolved at the handshake of connection <paramref name="connectionId"/>, or null.</summary>
    public ClientIdentity? IdentityOf(string connectionId) =>
        _connections.TryGetValue(connectionId, out var entry) ? entry.Identity : null;

    /// <summary>How many live connections belong to <paramref name="deviceId"/>.</summary>
    public int CountOf(string deviceId)
    {
        var count = 0;
        foreach (var (_, entry) in _connections)
        {
            if (string.Equals(entry.Identity.DeviceId, deviceId, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Aborts every live connection of <paramref name="deviceId"/>; returns how many.</summary>
    public int AbortDevice(string deviceId, string reason)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var aborted = 0;
        foreach (var (id, entry) in _connections)
        {
            if (string.Equals(entry.Identity.DeviceId, deviceId, StringComparison.Ordinal) && _connections.TryRemove(id, out _))
            {
                // Closes the socket under whatever the connection is doing: an idle keep-alive
                // wait, a body read, a response write.
                entry.Connection.Abort(new ConnectionAbortedException(reason));
                aborted++;
            }
        }

        return aborted;
    }

    private sealed record Entry(ConnectionContext Connection, ClientIdentity Identity);
}
