using System;
using BenchmarkDotNet.Running;

namespace IoTSec.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher over every benchmark class in this assembly, so
/// <c>--filter '*Sha*'</c>, <c>--list flat</c>, <c>--job short</c> and the other standard
/// arguments work. <c>est …</c> runs the EST Stopwatch harness instead (<see cref="EstEnrolmentHarness"/>),
/// <c>broker …</c> the broker-beside-Mosquitto harness (<see cref="BrokerThroughputHarness"/>; its
/// child process is <c>broker-serve DIR</c>), <c>tls-floor …</c> the bare SslStream per-connection
/// floor (<see cref="TlsIdleFloorHarness"/>; its child is <c>tls-floor-serve</c>), <c>forwarder …</c>
/// the upstream forwarder against Mosquitto (<see cref="ForwarderHarness"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "est")
        {
            return EstEnrolmentHarness.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "broker")
        {
            return BrokerThroughputHarness.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "forwarder")
        {
            return ForwarderHarness.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 1 && args[0] == "broker-serve")
        {
            return BrokerBenchServer.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "tls-floor")
        {
            return TlsIdleFloorHarness.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 3 && args[0] == "tls-floor-serve")
        {
            return TlsIdleFloorHarness.ServeAsync(args[1..]).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
        return 0;
    }
}
