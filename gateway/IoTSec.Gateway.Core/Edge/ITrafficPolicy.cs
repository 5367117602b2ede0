using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// The per-class protocol allowlist the broker asks about every publish and subscription of a
/// device (default deny). Implementations are thread-safe, allocation-light (the publish path
/// runs tens of thousands of times a second) and swap their rules atomically on reload.
/// </summary>
public interface ITrafficPolicy
{
    /// <summary>May <paramref name="device"/> publish this message? Counts it against the device's rate when it may.</summary>
    TrafficDecision AuthorizePublish(EdgeDevice device, string topic, ReadOnlySpan<byte> payload, int qos, bool retain);

    /// <summary>May <paramref name="device"/> subscribe to <paramref name="topicFilter"/> at <paramref name="qos"/>?</summary>
    TrafficDecision AuthorizeSubscribe(EdgeDevice device, string topicFilter, int qos);
}
