using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;

namespace IoTSec.Gateway.Tests.Posture;

/// <summary>A stand-in for the broker's downlink (another helper's component): keeps what was sent.</summary>
internal sealed class RecordingDownlink : IDeviceDownlink
{
    public ConcurrentQueue<(string DeviceId, TopicKind Kind, byte[] Payload)> Sent { get; } = new();

    public Task SendAsync(string deviceId, TopicKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        Sent.Enqueue((deviceId, kind, payload.ToArray()));
        return Task.CompletedTask;
    }
}
