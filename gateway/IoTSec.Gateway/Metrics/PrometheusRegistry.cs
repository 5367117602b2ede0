using System.Threading;
using Prometheus;

namespace IoTSec.Gateway.Metrics;

/// <summary>
/// A prometheus-net registry for one host, with the process metrics. prometheus-net's static
/// default registry would otherwise start its own listeners on every meter and event counter
/// in the process: they are switched off once, before first use.
/// </summary>
internal static class PrometheusRegistry
{
    private static int _defaultsSuppressed;

    public static CollectorRegistry Create()
    {
        if (Interlocked.Exchange(ref _defaultsSuppressed, 1) == 0)
        {
            Prometheus.Metrics.SuppressDefaultMetrics();
        }

        var registry = Prometheus.Metrics.NewCustomRegistry();
        // process_cpu_seconds_total, process_resident_memory_bytes, dotnet_collection_count_total, …
        DotNetStats.Register(registry);
        return registry;
    }
}
