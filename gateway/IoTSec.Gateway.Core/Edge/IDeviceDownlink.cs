using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Protocol.Topics;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// The gateway's way to send a message to a device on one of its downlink topics (commands,
/// OTA offers, heartbeat acknowledgements). Implemented by the broker; the only publisher on
/// downlink topics.
/// </summary>
public interface IDeviceDownlink
{
    /// <summary>Publishes <paramref name="payload"/> on <paramref name="deviceId"/>'s <paramref name="kind"/> topic (QoS 1).</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a downlink kind.</exception>
    Task SendAsync(string deviceId, TopicKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);
}
