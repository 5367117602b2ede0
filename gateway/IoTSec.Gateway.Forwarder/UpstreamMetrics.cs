using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// The forwarder's instruments on the gateway meter (exported as iotsec_upstream_…): backlog
/// size and bytes, age of the oldest undelivered record, bytes saved against forwarding every
/// message in full, records sent, merged and refused, and the link state.
/// </summary>
internal static class UpstreamMetrics
{
    private static UpstreamSpool? _spool;
    private static int _connected;

    public static Counter<long> Queued { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_queued", description: "Records persisted in the upstream spool");

    public static Counter<long> Sent { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_sent", description: "Records acknowledged by the upstream broker");

    public static Counter<long> BytesSent { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_payload_bytes", unit: "By", description: "Upstream message payload bytes acknowledged (after deltas, batching and compression)");

    public static Counter<long> BytesSaved { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_bytes_saved", unit: "By", description: "Device message bytes not sent upstream thanks to deltas, merging and compression");

    public static Counter<long> Merged { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_merged", description: "Pending telemetry records merged into a newer one under disk pressure");

    public static Counter<long> Refused { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_refused", description: "Messages the spool refused (full); alerts only when even the reserve is used up");

    public static Counter<long> Connects { get; } = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_upstream_connects", description: "Upstream connection attempts, by outcome");

    static UpstreamMetrics()
    {
        GatewayMeter.Instance.CreateObservableGauge("iotsec_upstream_backlog", () => Volatile.Read(ref _spool)?.Backlog ?? 0, description: "Records in the spool not yet acknowledged upstream");
        GatewayMeter.Instance.CreateObservableGauge("iotsec_upstream_backlog_bytes", () => Volatile.Read(ref _spool)?.BacklogBytes ?? 0, unit: "By", description: "Bytes the pending records count against SpoolMaxBytes");
        GatewayMeter.Instance.CreateObservableGauge("iotsec_upstream_oldest_undelivered_seconds", OldestAge, unit: "s", description: "Age of the oldest record not yet acknowledged upstream (0: none)");
        GatewayMeter.Instance.CreateObservableGauge("iotsec_upstream_connected", () => Volatile.Read(ref _connected), description: "1 while the upstream link is up");
    }

    /// <summary>The spool the gauges read (the daemon has one).</summary>
    public static void Track(UpstreamSpool spool) => Volatile.Write(ref _spool, spool);

    public static void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);

    private static double OldestAge()
    {
        try
        {
            var oldest = Volatile.Read(ref _spool)?.OldestQueuedAt();
            return oldest is { } at ? Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds) : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }
}
