using System.Collections.Generic;
using System.Diagnostics.Metrics;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>The policy's counters on <see cref="GatewayMeter"/>.</summary>
internal static class PolicyMetrics
{
    /// <summary>Refused publishes and subscriptions, tagged with the violation kind.</summary>
    public static readonly Counter<long> Violations = GatewayMeter.Instance.CreateCounter<long>("iotsec_policy_violations", "{violation}", "Publishes and subscriptions refused by the protocol allowlist, by kind");

    /// <summary>Policy files refused at reload (the old policy stayed in force).</summary>
    public static readonly Counter<long> ReloadFailures = GatewayMeter.Instance.CreateCounter<long>("iotsec_policy_reload_failures", "{reload}", "Policy reloads refused because the new file was invalid");

    /// <summary>Policy files that came into force.</summary>
    public static readonly Counter<long> Reloads = GatewayMeter.Instance.CreateCounter<long>("iotsec_policy_reloads", "{reload}", "Policy files that came into force");

    /// <summary>Devices quarantined for repeated violations.</summary>
    public static readonly Counter<long> Quarantines = GatewayMeter.Instance.CreateCounter<long>("iotsec_policy_quarantines", "{device}", "Devices quarantined for repeated policy violations");

    // One tag per kind, made once: recording a violation allocates nothing for the tag.
    private static readonly KeyValuePair<string, object?>[] KindTags = MakeTags();

    public static KeyValuePair<string, object?> TagOf(TrafficViolation violation) => KindTags[(int)violation];

    /// <summary>The stable code of a violation kind in metrics, audit entries and docs.</summary>
    public static string CodeOf(TrafficViolation violation) => violation switch
    {
        TrafficViolation.UnknownClass => "unknown-class",
        TrafficViolation.TopicNotAllowed => "topic-not-allowed",
        TrafficViolation.DownlinkPublish => "downlink-publish",
        TrafficViolation.PayloadTooLarge => "payload-too-large",
        TrafficViolation.RateExceeded => "rate-exceeded",
        TrafficViolation.QosNotAllowed => "qos-not-allowed",
        TrafficViolation.RetainNotAllowed => "retain-not-allowed",
        TrafficViolation.PayloadInvalid => "payload-invalid",
        _ => "none",
    };

    private static KeyValuePair<string, object?>[] MakeTags()
    {
        var tags = new KeyValuePair<string, object?>[(int)TrafficViolation.PayloadInvalid + 1];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new KeyValuePair<string, object?>("kind", CodeOf((TrafficViolation)i));
        }

        return tags;
    }
}
