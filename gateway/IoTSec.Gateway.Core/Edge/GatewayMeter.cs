using System.Diagnostics.Metrics;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// The gateway's one <see cref="Meter"/>: components create their counters and gauges on it
/// (names "iotsec_…"), and the daemon exports it in Prometheus format on localhost.
/// </summary>
public static class GatewayMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "IoTSec.Gateway";

    /// <summary>The meter.</summary>
    public static Meter Instance { get; } = new(Name);
}
