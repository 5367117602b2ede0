using System;
using System.Collections.Concurrent;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// A stand-in for the allowlist another helper is building (the real ITrafficPolicy does not
/// exist in this worktree yet): a device may publish on its own up/ topics only (heartbeats
/// typed "heartbeat", the rest "json") and subscribe to its own down/ topics only; a down/
/// topic is <see cref="TrafficViolation.DownlinkPublish"/>, anything else
/// <see cref="TrafficViolation.TopicNotAllowed"/>. Retain is refused. It records its
/// refusals, as the real policy records violations.
/// </summary>
internal sealed class StandInTrafficPolicy : ITrafficPolicy
{
    public ConcurrentQueue<(string DeviceId, string Topic, TrafficViolation Violation)> Refusals { get; } = new();

    public TrafficDecision AuthorizePublish(EdgeDevice device, string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        if (TopicParser.TryParse(topic, out _, out var kind) && !DeviceTopics.IsUplink(kind))
        {
            return Refuse(device, topic, TrafficViolation.DownlinkPublish);
        }

        if (!TopicParser.IsDevicePublishAllowed(device.DeviceId, topic))
        {
            return Refuse(device, topic, TrafficViolation.TopicNotAllowed);
        }

        if (retain)
        {
            return Refuse(device, topic, TrafficViolation.RetainNotAllowed);
        }

        return TrafficDecision.Allow(kind == TopicKind.Heartbeat ? "heartbeat" : "json");
    }

    public TrafficDecision AuthorizeSubscribe(EdgeDevice device, string topicFilter, int qos) =>
        TopicParser.IsDeviceSubscribeAllowed(device.DeviceId, topicFilter)
            ? TrafficDecision.Allow("any")
            : Refuse(device, topicFilter, TrafficViolation.TopicNotAllowed);

    private TrafficDecision Refuse(EdgeDevice device, string topic, TrafficViolation violation)
    {
        Refusals.Enqueue((device.DeviceId, topic, violation));
        return TrafficDecision.Deny(violation, violation + " on " + topic);
    }
}

/// <summary>
/// A stand-in for the heartbeat verifier another helper is building: accepts every heartbeat
/// and answers it with "ack:" followed by the heartbeat's bytes, so a test can see that the
/// acknowledgement of this very heartbeat reached the device's hb-ack topic.
/// </summary>
internal sealed class StandInHeartbeatProcessor : IHeartbeatProcessor
{
    public ConcurrentQueue<(string DeviceId, byte[] Payload)> Received { get; } = new();

    public HeartbeatOutcome Process(EdgeDevice device, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        Received.Enqueue((device.DeviceId, payload.ToArray()));
        var ack = new byte[4 + payload.Length];
        "ack:"u8.CopyTo(ack);
        payload.CopyTo(ack.AsSpan(4));
        return new HeartbeatOutcome(true, ack, string.Empty);
    }
}

/// <summary>
/// An upstream queue that keeps what it is given, and refuses as a full spool does while
/// <see cref="Full"/> is set (the durable spool's own tests cover when it fills).
/// </summary>
internal sealed class RecordingUpstreamQueue : IUpstreamQueue
{
    public ConcurrentQueue<UpstreamMessage> Messages { get; } = new();

    public volatile bool Full;

    public void Enqueue(UpstreamMessage message)
    {
        if (Full)
        {
            throw new UpstreamRefusedException("the upstream spool is full (test)");
        }

        Messages.Enqueue(message);
    }
}
