using BenchmarkDotNet.Running;

namespace IoTSec.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher over every benchmark class in this assembly, so
/// <c>--filter '*Sha*'</c>, <c>--list flat</c>, <c>--job short</c> and the other standard
/// arguments work.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
    }
}
