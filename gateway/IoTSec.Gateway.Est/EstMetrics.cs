using System.Collections.Generic;
using System.Diagnostics.Metrics;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Est;

/// <summary>The EST service's counters on <see cref="GatewayMeter"/> (exported by the daemon as Prometheus metrics).</summary>
internal static class EstMetrics
{
    private static readonly Counter<long> Enrolments = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_est_enrolments", unit: null, description: "Certificates issued by EST, by operation");

    private static readonly Counter<long> Refusals = GatewayMeter.Instance.CreateCounter<long>(
        "iotsec_est_refusals", unit: null, description: "EST requests refused, by reason");

    public static void Enrolled(EstOperation operation) =>
        Enrolments.Add(1, new KeyValuePair<string, object?>("operation", operation.ToString()));

    public static void Refused(EstRefusal reason) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("reason", EstRefusals.CodeOf(reason)));
}
