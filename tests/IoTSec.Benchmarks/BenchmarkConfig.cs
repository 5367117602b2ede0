using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace IoTSec.Benchmarks;

/// <summary>
/// Settings every benchmark class gets: allocations (the device heap and the gateway's GC are
/// what we tune), and throughput in MB/s for classes that declare a <c>Size</c> parameter.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create()
    {
        return DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new ThroughputColumn());
    }
}
