using System;
using System.IO;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Policy;

namespace IoTSec.Benchmarks;

/// <summary>
/// The protocol allowlist on the broker's publish path: one <see cref="TrafficPolicy.AuthorizePublish"/>
/// per message (topic match over pre-split patterns, token bucket, payload check). The figure to
/// watch is Allocated: an allowed heartbeat, cbor or schema-less json message must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class TrafficPolicyBenchmarks
{
    private const string Policy = """
        version: 1
        quarantine: { class: quarantine, threshold: 1000, window: 1s }
        classes:
          sensor:
            heartbeat-interval: 60s
            firmware: []
            publish:
              - { topic: "iotsec/v1/d/{device}/up/heartbeat", payload: heartbeat, max-size: 512, qos: [0, 1], rate: 1000000/s, burst: 1000000 }
              - { topic: "iotsec/v1/d/{device}/up/posture", payload: cbor, max-size: 4096, qos: [0, 1], rate: 1000000/s, burst: 1000000 }
              - { topic: "iotsec/v1/d/{device}/up/alert", payload: json, schema: telemetry.json, max-size: 4096, qos: [0, 1], rate: 1000000/s, burst: 1000000 }
              - { topic: "iotsec/v1/d/{device}/up/telemetry", payload: json, max-size: 4096, qos: [0, 1], rate: 1000000/s, burst: 1000000 }
            subscribe:
              - { topic: "iotsec/v1/d/{device}/down/#", qos: [0, 1] }
          quarantine:
            heartbeat-interval: 60s
            firmware: []
            publish:
              - { topic: "iotsec/v1/d/{device}/up/heartbeat", payload: heartbeat, max-size: 512, qos: [0, 1], rate: 1/s, burst: 1 }
            subscribe: []
        """;

    private const string Schema = """
        { "type": "object", "properties": { "t": { "type": "number" }, "h": { "type": "number" }, "id": { "type": "string" } }, "required": ["t"] }
        """;

    private readonly byte[] _heartbeat = new byte[200];
    private readonly byte[] _json = Encoding.UTF8.GetBytes("""{"t": 21.5, "h": 40.25, "id": "room-3", "readings": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "ok": true}""");
    private readonly byte[] _cbor = [0xa3, 0x01, 0x18, 0x2a, 0x02, 0x63, 0x61, 0x62, 0x63, 0x03, 0x83, 0x01, 0x02, 0x03];
    private string _directory = string.Empty;
    private TrafficPolicy _policy = null!;
    private EdgeDevice _device = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "iotsec-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "telemetry.json"), Schema);
        var path = Path.Combine(_directory, "policy.yaml");
        File.WriteAllText(path, Policy);
        _policy = new TrafficPolicy(PolicyStore.Open(path, audit: null), new NoAlerts(), new NoQuarantine(), new PolicyViolationAuditor(null), new SteppingClock());
        _device = new EdgeDevice("sensor-0042", "sensor", [1], IPAddress.Loopback, DateTimeOffset.UtcNow, quarantined: false);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Description = "publish heartbeat 200 B (allowed)")]
    public bool Heartbeat() => _policy.AuthorizePublish(_device, "iotsec/v1/d/sensor-0042/up/heartbeat", _heartbeat, 1, false).Allowed;

    [Benchmark(Description = "publish cbor 14 B (allowed)")]
    public bool Cbor() => _policy.AuthorizePublish(_device, "iotsec/v1/d/sensor-0042/up/posture", _cbor, 1, false).Allowed;

    [Benchmark(Description = "publish json 100 B, no schema (allowed)")]
    public bool Json() => _policy.AuthorizePublish(_device, "iotsec/v1/d/sensor-0042/up/telemetry", _json, 1, false).Allowed;

    [Benchmark(Description = "publish json 100 B, schema (allowed)")]
    public bool JsonSchema() => _policy.AuthorizePublish(_device, "iotsec/v1/d/sensor-0042/up/alert", _json, 1, false).Allowed;

    [Benchmark(Description = "publish on another device's topic (refused)")]
    public bool OtherDevice() => _policy.AuthorizePublish(_device, "iotsec/v1/d/sensor-0043/up/telemetry", _json, 1, false).Allowed;

    [Benchmark(Description = "subscribe own down/# (allowed)")]
    public bool Subscribe() => _policy.AuthorizeSubscribe(_device, "iotsec/v1/d/sensor-0042/down/#", 1).Allowed;

    // Each reading is one second after the last: the buckets are always full again, so the
    // allowed rows measure allowed messages (millions per second would otherwise drain any
    // bucket and turn them into rate refusals), and violations never reach the threshold.
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
}
