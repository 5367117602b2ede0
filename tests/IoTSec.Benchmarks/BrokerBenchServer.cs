using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Protocol.Topics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Benchmarks;

/// <summary>
/// The child process of the broker harness (<c>broker-serve DIR</c>): the device broker as the
/// daemon composes it (AddDeviceBroker, inventory and audit log in SQLite, the PKI the parent
/// wrote to DIR), alone in its process so its resident memory is its own. Prints
/// "PORT &lt;n&gt;" once listening and stops when its standard input closes.
/// </summary>
internal static class BrokerBenchServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var work = args[0];
        using var keyStore = new SoftwareKeyStore(Path.Combine(work, "keys"), allowSoftwareKeys: true);
        using var root = PemCertificateFile.Load(Path.Combine(work, "root.pem"));
        using var intermediate = PemCertificateFile.Load(Path.Combine(work, "intermediate.pem"));
        using var authority = GatewayCertificateAuthority.Create(root, intermediate, keyStore.Open(GatewayKeyRole.DeviceCa));
        var issuer = new DeviceCertificateIssuer(authority);
        using var audit = AuditLog.Open(Path.Combine(work, "audit.db"), Path.Combine(work, "audit-anchor.db"));
        using var inventory = DeviceInventory.Open(Path.Combine(work, "inventory.db"), audit: audit);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        var services = builder.Services;
        services.AddSingleton(audit);
        services.AddSingleton(inventory);
        services.AddSingleton(issuer);
        services.AddSingleton(_ => new ServerCertificateRotator(issuer));
        services.AddSingleton<ITrafficPolicy, OwnUplinkPolicy>();
        services.AddSingleton<IHeartbeatProcessor, NoHeartbeats>();
        services.AddSingleton<IUpstreamQueue, CountingUpstreamQueue>();
        // Further arguments are IoTSec:Broker settings (Key=Value), the harness's --broker option.
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in args[1..])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            overrides["IoTSec:Broker:" + pair[..equals]] = pair[(equals + 1)..];
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        services.Configure<BrokerSettings>(builder.Configuration.GetSection("IoTSec:Broker"));
        services.Configure<BrokerSettings>(options =>
        {
            options.Port = 0;
            options.MaxConnections = 100_000;
        });
        services.AddDeviceBroker();
        using var host = builder.Build();
        await host.StartAsync();
        var port = host.Services.GetRequiredService<DeviceBroker>().LocalEndPoint!.Port;
        Console.Out.WriteLine("PORT " + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Console.Out.Flush();

        // The parent closes our standard input to stop us; "gc" asks for a full collection and
        // the managed heap size, to tell live memory from garbage not yet collected; "allocated"
        // for the bytes allocated since start, to measure allocation per message.
        using var sampler = Environment.GetEnvironmentVariable("IOTSEC_BENCH_ALLOCATION_PROFILE") == "1" ? new AllocationSampler() : null;
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "allocated")
            {
                // The sampled types since the last "allocated", on stderr (the parent shows it).
                if (sampler is not null)
                {
                    Console.Error.WriteLine("allocation profile (sampled): " + sampler.TakeTop(12));
                }

                Console.Out.WriteLine("ALLOCATED " + GC.GetTotalAllocatedBytes(precise: true).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Console.Out.Flush();
            }
            else if (command == "gc")
            {
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                Console.Out.WriteLine("HEAP " + GC.GetTotalMemory(false).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Console.Out.Flush();
            }
        }

        await host.StopAsync();
        return 0;
    }

    /// <summary>
    /// The allowlist's core rule without allocation (the real policy adds sizes, rates and
    /// payload checks): a device publishes on its own up/ topics and subscribes to its own down/.
    /// </summary>
    private sealed class OwnUplinkPolicy : ITrafficPolicy
    {
        public TrafficDecision AuthorizePublish(EdgeDevice device, string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
        {
            var id = device.DeviceId;
            var root = DeviceTopics.Root;
            var ok = !retain
                && topic.Length > root.Length + id.Length + 4
                && topic.StartsWith(root, StringComparison.Ordinal)
                && topic.AsSpan(root.Length, id.Length).SequenceEqual(id)
                && topic.AsSpan(root.Length + id.Length).StartsWith("/up/", StringComparison.Ordinal);
            return ok ? TrafficDecision.Allow("json") : TrafficDecision.Deny(TrafficViolation.TopicNotAllowed, "not the device's own up/ topic");
        }

        public TrafficDecision AuthorizeSubscribe(EdgeDevice device, string topicFilter, int qos) =>
            TopicParser.IsDeviceSubscribeAllowed(device.DeviceId, topicFilter)
                ? TrafficDecision.Allow("any")
                : TrafficDecision.Deny(TrafficViolation.TopicNotAllowed, "not the device's own down/ topic");
    }

    private sealed class NoHeartbeats : IHeartbeatProcessor
    {
        public HeartbeatOutcome Process(EdgeDevice device, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt) => new(false, null, "not in this benchmark");
    }

    /// <summary>Counts what the broker hands upstream (the forwarder's durable spool is measured elsewhere).</summary>
    private sealed class CountingUpstreamQueue : IUpstreamQueue
    {
        private long _count;

        public void Enqueue(UpstreamMessage message) => System.Threading.Interlocked.Increment(ref _count);
    }
}
