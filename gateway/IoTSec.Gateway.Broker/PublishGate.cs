using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// The broker's publish and subscribe path: every PUBLISH and SUBSCRIBE of a device goes to
/// the allowlist (<see cref="ITrafficPolicy"/>, default deny); an allowed heartbeat goes to
/// <see cref="IHeartbeatProcessor"/> and its acknowledgement back on the device's hb-ack topic
/// (the heartbeat itself is never forwarded); allowed telemetry, posture and alerts go to the
/// <see cref="IUpstreamQueue"/>; anything else the allowlist lets through (command
/// acknowledgements) is dispatched by the broker to in-gateway subscribers.
/// </summary>
/// <remarks>
/// Runs tens of thousands of times a second: no LINQ, no topic parsing (the session's topic
/// names are compared), no async state machine, the payload read in place when it is one
/// segment, and counters with pre-built tags. The one copy made is the upstream body, which
/// outlives MQTTnet's packet buffer.
/// </remarks>
internal sealed class PublishGate
{
    private static readonly KeyValuePair<string, object?>[] ViolationTags = BuildViolationTags();
    private static readonly KeyValuePair<string, object?> UpstreamRefusedTag = new("violation", "UpstreamFull");

    private readonly ITrafficPolicy _policy;
    private readonly IHeartbeatProcessor _heartbeats;
    private readonly IUpstreamQueue _upstream;
    private readonly TimeProvider _time;
    private readonly IDictionary _gatewayItems;
    private readonly Func<string, byte[], Task> _sendDownlink;

    /// <param name="policy">The allowlist.</param>
    /// <param name="heartbeats">The heartbeat verifier.</param>
    /// <param name="upstream">Where device telemetry, posture and alerts go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="gatewayItems">The session items the gateway's own publishes carry: the only sender allowed on down/ topics.</param>
    /// <param name="sendDownlink">Publishes (topic, payload) as the gateway.</param>
    public PublishGate(ITrafficPolicy policy, IHeartbeatProcessor heartbeats, IUpstreamQueue upstream, TimeProvider time, IDictionary gatewayItems, Func<string, byte[], Task> sendDownlink)
    {
        _policy = policy;
        _heartbeats = heartbeats;
        _upstream = upstream;
        _time = time;
        _gatewayItems = gatewayItems;
        _sendDownlink = sendDownlink;
    }

    /// <summary>MQTTnet's InterceptingPublishAsync handler.</summary>
    public Task OnPublish(InterceptingPublishEventArgs args)
    {
        // The gateway's own downlink publishes carry an items dictionary no client can name.
        if (ReferenceEquals(args.SessionItems, _gatewayItems))
        {
            return Task.CompletedTask;
        }

        if (args.SessionItems?[DeviceSession.ItemKey] is not DeviceSession session)
        {
            // No admitted device behind this session: default deny.
            Refuse(args, TrafficViolation.UnknownClass);
            return Task.CompletedTask;
        }

        var message = args.ApplicationMessage;
        var payload = message.Payload;
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> bytes;
            if (payload.IsSingleSegment)
            {
                bytes = payload.FirstSpan;
            }
            else
            {
                var length = checked((int)payload.Length);
                rented = ArrayPool<byte>.Shared.Rent(length);
                payload.CopyTo(rented);
                bytes = rented.AsSpan(0, length);
            }

            return Route(args, session, message.Topic, bytes, (int)message.QualityOfServiceLevel, message.Retain);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>MQTTnet's InterceptingSubscriptionAsync handler.</summary>
    public Task OnSubscribe(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter;
        var decision = args.SessionItems?[DeviceSession.ItemKey] is DeviceSession session
            ? _policy.AuthorizeSubscribe(session.Device, filter.Topic, (int)filter.QualityOfServiceLevel)
            : TrafficDecision.Deny(TrafficViolation.UnknownClass, "no admitted device behind this session");
        if (!decision.Allowed)
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            BrokerMetrics.SubscriptionsRefused.Add(1, TagOf(decision.Violation));
        }

        return Task.CompletedTask;
    }

    private Task Route(InterceptingPublishEventArgs args, DeviceSession session, string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        var device = session.Device;
        var decision = _policy.AuthorizePublish(device, topic, payload, qos, retain);
        if (!decision.Allowed)
        {
            // The policy counted and recorded the violation; the broker only drops.
            Refuse(args, decision.Violation);
            return Task.CompletedTask;
        }

        if (string.Equals(decision.PayloadType, "heartbeat", StringComparison.Ordinal))
        {
            args.ProcessPublish = false;
            BrokerMetrics.Messages.Add(1, BrokerMetrics.HeartbeatRoute);
            var outcome = _heartbeats.Process(device, payload, _time.GetUtcNow());
            return outcome.Acknowledgement is { } ack ? _sendDownlink(session.Topics.HeartbeatAck, ack) : Task.CompletedTask;
        }

        var kind = session.UplinkKindOf(topic);
        var upstreamKind = kind switch
        {
            TopicKind.Telemetry => UpstreamKind.Telemetry,
            TopicKind.Posture => UpstreamKind.Posture,
            TopicKind.Alert => UpstreamKind.Alert,
            _ => (UpstreamKind)0,
        };
        if (upstreamKind != 0)
        {
            args.ProcessPublish = false;
            BrokerMetrics.Messages.Add(1, BrokerMetrics.UpstreamRoute);
            try
            {
                _upstream.Enqueue(new UpstreamMessage(device.DeviceId, upstreamKind, payload.ToArray(), _time.GetUtcNow()));
            }
            catch (UpstreamRefusedException)
            {
                // The spool is full (it has counted and alerted): tell an MQTT 5 client its
                // message was not taken, and keep the session — the device retries later.
                args.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
                BrokerMetrics.MessagesDropped.Add(1, UpstreamRefusedTag);
            }

            return Task.CompletedTask;
        }

        // Allowed, but neither a heartbeat nor an upstream kind (a command acknowledgement):
        // the broker dispatches it to in-gateway subscribers.
        BrokerMetrics.Messages.Add(1, BrokerMetrics.BrokerRoute);
        return Task.CompletedTask;
    }

    private static void Refuse(InterceptingPublishEventArgs args, TrafficViolation violation)
    {
        args.ProcessPublish = false;
        args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        BrokerMetrics.MessagesDropped.Add(1, TagOf(violation));
    }

    private static KeyValuePair<string, object?> TagOf(TrafficViolation violation) =>
        (uint)violation < (uint)ViolationTags.Length ? ViolationTags[(int)violation] : new KeyValuePair<string, object?>("violation", violation.ToString());

    private static KeyValuePair<string, object?>[] BuildViolationTags()
    {
        var values = Enum.GetValues<TrafficViolation>();
        var max = 0;
        foreach (var value in values)
        {
            max = Math.Max(max, (int)value);
        }

        var tags = new KeyValuePair<string, object?>[max + 1];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new KeyValuePair<string, object?>("violation", ((TrafficViolation)i).ToString());
        }

        return tags;
    }
}
