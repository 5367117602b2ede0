using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Policy;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace IoTSec.Benchmarks;

/// <summary>
/// The gateway's own share of a device PUBLISH, apart from MQTTnet and TLS: one
/// <c>PublishGate.OnPublish</c> per operation (session look-up, the real allowlist
/// <see cref="TrafficPolicy"/>, routing, counters, the upstream hand-off) on an event-args object
/// as MQTTnet builds it per message. The figure to read is Allocated: the "event args only" row
/// is what MQTTnet allocates for the interceptor whether or not the gateway does anything; the
/// other rows minus it are the gateway's code.
/// </summary>
[MemoryDiagnoser]
public class PublishGateBenchmarks
{
    private const string Policy = """
        version: 1
        quarantine: { class: quarantine, threshold: 1000, window: 1s }
        classes:
          sensor:
            heartbeat-interval: 60s
            firmware: []
            publish:
              - { topic: "iotsec/v1/d/{device}/up/telemetry", payload: json, max-size: 4096, qos: [0, 1], rate: 1000000/s, burst: 1000000 }
            subscribe:
              - { topic: "iotsec/v1/d/{device}/down/#", qos: [0, 1] }
          quarantine:
            heartbeat-interval: 60s
            firmware: []
            publish: []
            subscribe: []
        """;

    private readonly Hashtable _sessionItems = [];
    private readonly Hashtable _gatewayItems = [];
    private string _directory = string.Empty;
    private PublishGate _gate = null!;
    private MqttApplicationMessage _telemetry = null!;
    private MqttApplicationMessage _foreign = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "iotsec-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "policy.yaml");
        File.WriteAllText(path, Policy);
        var policy = new TrafficPolicy(PolicyStore.Open(path, audit: null), new NoAlerts(), new NoQuarantine(), new PolicyViolationAuditor(null), new SteppingClock());
        var device = new EdgeDevice("sensor-0042", "sensor", [1], IPAddress.Loopback, DateTimeOffset.UtcNow, quarantined: false);
        _sessionItems[DeviceSession.ItemKey] = new DeviceSession(device);
        _gate = new PublishGate(policy, new NoHeartbeats(), new CountingUpstream(), TimeProvider.System, _gatewayItems, (_, _) => Task.CompletedTask);

        // The harness's telemetry document: 200 bytes of JSON, one segment as MQTTnet reads it.
        var json = new StringBuilder("{\"t\":21.5,\"pad\":\"");
        json.Append('x', 200 - json.Length - 2).Append("\"}");
        var payload = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json.ToString()));
        _telemetry = new MqttApplicationMessage { Topic = "iotsec/v1/d/sensor-0042/up/telemetry", Payload = payload, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce };
        _foreign = new MqttApplicationMessage { Topic = "iotsec/v1/d/sensor-0043/up/telemetry", Payload = payload, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce };
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    // Kept in a field, as MQTTnet hands the args to its handlers: otherwise the JIT allocates
    // them on the stack and this row would read 0 B.
    private InterceptingPublishEventArgs? _last;

    [Benchmark(Baseline = true, Description = "event args only (MQTTnet's, per message)")]
    public bool ArgsOnly()
    {
        _last = Args(_telemetry);
        return _last.ProcessPublish;
    }

    [Benchmark(Description = "telemetry 200 B allowed, to upstream")]
    public bool Telemetry()
    {
        var args = _last = Args(_telemetry);
        _gate.OnPublish(args);
        return args.ProcessPublish;
    }

    [Benchmark(Description = "another device's topic (refused)")]
    public bool Refused()
    {
        var args = _last = Args(_foreign);
        _gate.OnPublish(args);
        return args.ProcessPublish;
    }

    private InterceptingPublishEventArgs Args(MqttApplicationMessage message) => new(message, "sensor-0042", "sensor-0042", _sessionItems, CancellationToken.None);

    // Each reading is one second after the last: the token bucket stays full, so the allowed row
    // measures allowed messages.
    private sealed class SteppingClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now += TimeSpan.TicksPerSecond;
    }

    private sealed class NoAlerts : IAlertSink
    {
        public void Raise(SecurityAlert alert)
        {
        }
    }

    private sealed class NoQuarantine : IQuarantine
    {
        public bool Quarantine(string deviceId, string reason, string actor) => false;
    }

    private sealed class NoHeartbeats : IHeartbeatProcessor
    {
        public HeartbeatOutcome Process(EdgeDevice device, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt) => new(false, null, "not in this benchmark");
    }

    /// <summary>Counts, as the daemon's queue does today (the forwarder's spool is another issue's).</summary>
    private sealed class CountingUpstream : IUpstreamQueue
    {
        private long _count;

        public void Enqueue(UpstreamMessage message) => Interlocked.Increment(ref _count);
    }
}
