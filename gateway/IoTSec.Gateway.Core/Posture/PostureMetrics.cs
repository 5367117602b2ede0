using System.Collections.Generic;
using System.Diagnostics.Metrics;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The posture service's counters on <see cref="GatewayMeter"/> (exported as Prometheus
/// <c>…_total</c> series): every verified and every rejected heartbeat, every verdict change
/// and every alert, so each refusal is counted even when its alert is rate-limited.
/// </summary>
public static class PostureMetrics
{
    private static readonly Counter<long> Verified = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_heartbeats_verified", description: "Heartbeats whose MAC verified, by chain verdict (in-order, gap, replay, fork, stale).");

    private static readonly Counter<long> Rejected = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_heartbeats_rejected", description: "Heartbeats dropped without an acknowledgement, by reason.");

    private static readonly Counter<long> Verdicts = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_posture_verdicts", description: "Posture verdict changes, by the new verdict.");

    private static readonly Counter<long> Alerts = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_alerts", description: "Security alerts raised, by code.");

    private static readonly Counter<long> AlertsSuppressed = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_alerts_suppressed", description: "Repeats of an alert within the repeat interval, counted instead of raised, by code.");

    /// <summary>Counts a heartbeat whose MAC verified.</summary>
    public static void HeartbeatVerified(string chainVerdict) => Verified.Add(1, new KeyValuePair<string, object?>("chain", chainVerdict));

    /// <summary>Counts a dropped heartbeat.</summary>
    public static void HeartbeatRejected(string reason) => Rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a verdict change.</summary>
    public static void VerdictChanged(PostureVerdict to) => Verdicts.Add(1, new KeyValuePair<string, object?>("verdict", PostureVerdictNames.Of(to)));

    /// <summary>Counts a raised alert.</summary>
    public static void AlertRaised(string code) => Alerts.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>Counts a repeated alert that was not raised again.</summary>
    public static void AlertSuppressed(string code) => AlertsSuppressed.Add(1, new KeyValuePair<string, object?>("code", code));
}
