using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// The protocol allowlist over the policy in force (<see cref="PolicyStore.Current"/>): default
/// deny for every publish and subscription of a device, judged by its class, or by the
/// quarantine class once it is quarantined. It records every refusal itself (a counter per
/// kind, an aggregated audit entry per device and interval) and, after the quarantine threshold,
/// raises "policy.repeated-violations" and quarantines the device. Also the posture service's
/// <see cref="IPostureRules"/>, so a reload changes both at once.
/// </summary>
/// <remarks>
/// The publish path allocates nothing for an allowed message of type heartbeat, any or
/// schema-less json (measured: TrafficPolicyBenchmarks): patterns are split at load, per-device
/// state is found by reference in a <see cref="ConditionalWeakTable{TKey, TValue}"/> and lives as
/// long as the connection's <see cref="EdgeDevice"/>. A cbor payload costs the shared decoder's
/// reader object; a json payload with a schema builds one JSON document to evaluate.
/// </remarks>
public sealed class TrafficPolicy : ITrafficPolicy, IPostureRules
{
    /// <summary>The code of the alert raised when a device reaches the violation threshold.</summary>
    public const string RepeatedViolationsAlert = "policy.repeated-violations";

    private static readonly ConditionalWeakTable<EdgeDevice, DeviceTraffic>.CreateValueCallback NewTraffic = _ => new DeviceTraffic();

    private readonly PolicyStore _store;
    private readonly IAlertSink _alerts;
    private readonly IQuarantine _quarantine;
    private readonly PolicyViolationAuditor _auditor;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<EdgeDevice, DeviceTraffic> _devices = [];

    /// <summary>Judges traffic by <paramref name="store"/>'s policy; refusals go to <paramref name="auditor"/>, repeated ones to <paramref name="alerts"/> and <paramref name="quarantine"/>.</summary>
    public TrafficPolicy(PolicyStore store, IAlertSink alerts, IQuarantine quarantine, PolicyViolationAuditor auditor, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _auditor = auditor ?? throw new ArgumentNullException(nameof(auditor));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public TrafficDecision AuthorizePublish(EdgeDevice device, string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        ArgumentNullException.ThrowIfNull(device);
        var policy = _store.Current;
        var rules = ClassOf(policy, device);
        if (rules is null)
        {
            return Refuse(policy, device, topic, TrafficViolation.UnknownClass, $"device class '{device.DeviceClass}' has no policy");
        }

        if (!TopicPattern.IsValidTopicName(topic))
        {
            return Refuse(policy, device, topic, TrafficViolation.TopicNotAllowed, "the topic is empty, too long, or holds '+', '#' or NUL");
        }

        if (IsDownlink(topic))
        {
            return Refuse(policy, device, topic, TrafficViolation.DownlinkPublish, "devices never publish on downlink topics: only the gateway does");
        }

        var publishRules = rules.PublishRules;
        PublishRule? rule = null;
        for (var i = 0; i < publishRules.Count; i++)
        {
            if (publishRules[i].Topic.Matches(topic, device.DeviceId))
            {
                rule = publishRules[i];
                break;
            }
        }

        if (rule is null)
        {
            return Refuse(policy, device, topic, TrafficViolation.TopicNotAllowed, $"no publish rule of class '{rules.Name}' matches the topic");
        }

        if (payload.Length > rule.MaxSize)
        {
            return Refuse(policy, device, topic, TrafficViolation.PayloadTooLarge, string.Create(CultureInfo.InvariantCulture, $"payload of {payload.Length} bytes is over the {rule.MaxSize}-byte limit of '{rule.Topic}'"));
        }

        if (!rule.AllowsQos(qos))
        {
            return Refuse(policy, device, topic, TrafficViolation.QosNotAllowed, string.Create(CultureInfo.InvariantCulture, $"QoS {qos} is not allowed on '{rule.Topic}'"));
        }

        if (retain && !rule.Retain)
        {
            return Refuse(policy, device, topic, TrafficViolation.RetainNotAllowed, $"retain is not allowed on '{rule.Topic}'");
        }

        // The bucket before the payload check: under a flood the refusal costs no parsing.
        var traffic = _devices.GetValue(device, NewTraffic);
        var now = _time.GetTimestamp();
        lock (traffic.Gate)
        {
            if (!traffic.TryTake(rules, rule, now, _time))
            {
                return Refuse(policy, device, topic, TrafficViolation.RateExceeded, $"over the rate {rule.Rate.Text} (burst {rule.Rate.Burst}) of '{rule.Topic}'");
            }
        }

        if (rule.CheckPayload(payload) is { } problem)
        {
            lock (traffic.Gate)
            {
                traffic.Refund(rules, rule);
            }

            return Refuse(policy, device, topic, TrafficViolation.PayloadInvalid, problem);
        }

        return TrafficDecision.Allow(rule.PayloadName);
    }

    /// <inheritdoc />
    public TrafficDecision AuthorizeSubscribe(EdgeDevice device, string topicFilter, int qos)
    {
        ArgumentNullException.ThrowIfNull(device);
        var policy = _store.Current;
        var rules = ClassOf(policy, device);
        if (rules is null)
        {
            return Refuse(policy, device, topicFilter, TrafficViolation.UnknownClass, $"device class '{device.DeviceClass}' has no policy");
        }

        if (!TopicPattern.IsValidFilter(topicFilter))
        {
            return Refuse(policy, device, topicFilter, TrafficViolation.TopicNotAllowed, "the filter is empty, too long, or not a valid MQTT topic filter");
        }

        var subscribeRules = rules.SubscribeRules;
        var matchedTopic = false;
        for (var i = 0; i < subscribeRules.Count; i++)
        {
            var rule = subscribeRules[i];
            if (!rule.Topic.Covers(topicFilter, device.DeviceId))
            {
                continue;
            }

            matchedTopic = true;
            if (rule.AllowsQos(qos))
            {
                return TrafficDecision.Allow(PayloadTypeNames.Any);
            }
        }

        return matchedTopic
            ? Refuse(policy, device, topicFilter, TrafficViolation.QosNotAllowed, string.Create(CultureInfo.InvariantCulture, $"QoS {qos} is not allowed for the filter"))
            : Refuse(policy, device, topicFilter, TrafficViolation.TopicNotAllowed, $"no subscribe rule of class '{rules.Name}' covers the filter");
    }

    /// <inheritdoc />
    public bool IsFirmwareAllowed(string deviceClass, ReadOnlySpan<byte> firmwareDigest) =>
        _store.Current.Find(deviceClass)?.IsFirmwareAllowed(firmwareDigest) ?? false;

    /// <inheritdoc />
    public TimeSpan? HeartbeatInterval(string deviceClass) => _store.Current.Find(deviceClass)?.HeartbeatInterval;

    /// <summary>True for a topic of the protocol tree's downlink half: iotsec/v1/d/&lt;id&gt;/down[/…].</summary>
    internal static bool IsDownlink(string topic)
    {
        var root = DeviceTopics.Root;
        if (!topic.StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = topic.IndexOf('/', root.Length);
        if (slash < 0)
        {
            return false;
        }

        var kind = topic.AsSpan(slash + 1);
        return kind.SequenceEqual("down") || kind.StartsWith("down/", StringComparison.Ordinal);
    }

    // A device whose own class has no policy stays refused even once quarantined: the
    // quarantine class must never open more to it than default deny did.
    private static DeviceClassPolicy? ClassOf(PolicyDocument policy, EdgeDevice device)
    {
        var own = policy.Find(device.DeviceClass);
        return own is not null && device.Quarantined ? policy.QuarantineClass : own;
    }

    private TrafficDecision Refuse(PolicyDocument policy, EdgeDevice device, string? topic, TrafficViolation violation, string detail)
    {
        PolicyMetrics.Violations.Add(1, PolicyMetrics.TagOf(violation));
        _auditor.Record(device.DeviceId, violation, topic);
        var traffic = _devices.GetValue(device, NewTraffic);
        bool reached;
        lock (traffic.Gate)
        {
            reached = traffic.AddViolation(_time.GetTimestamp(), policy.Quarantine.Threshold, policy.Quarantine.Window, _time);
        }

        if (reached && !device.Quarantined)
        {
            Quarantine(policy, device, violation);
        }

        return TrafficDecision.Deny(violation, detail);
    }

    private void Quarantine(PolicyDocument policy, EdgeDevice device, TrafficViolation last)
    {
        var reason = string.Create(CultureInfo.InvariantCulture, $"{policy.Quarantine.Threshold} policy violations within {PolicyDurations.Format(policy.Quarantine.Window)} (last: {PolicyMetrics.CodeOf(last)})");

        // This session first: it is the one misbehaving, whether or not the registry of
        // connected devices knows it yet; its next message is judged by the quarantine class.
        device.MarkQuarantined();
        PolicyMetrics.Quarantines.Add(1);
        _quarantine.Quarantine(device.DeviceId, reason, PolicyStore.Actor);
        _alerts.Raise(new SecurityAlert(RepeatedViolationsAlert, device.DeviceId, AlertSeverity.Critical, reason + "; moved to class '" + policy.Quarantine.ClassName + "'", _time.GetUtcNow()));
    }
}
