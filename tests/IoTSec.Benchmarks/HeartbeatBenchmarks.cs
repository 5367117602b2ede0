using System;
using BenchmarkDotNet.Attributes;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Benchmarks;

/// <summary>
/// A heartbeat's cost: the device encodes and MACs one per interval; the gateway verifies
/// every device's (decode, MAC check, chain link). Portable code throughout, as on the device.
/// </summary>
[MemoryDiagnoser]
public class HeartbeatBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private HeartbeatFields _fields = new();
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        random.NextBytes(_key);
        var firmware = new byte[32];
        var configuration = new byte[32];
        var previous = new byte[32];
        random.NextBytes(firmware);
        random.NextBytes(configuration);
        random.NextBytes(previous);
        _fields = new HeartbeatFields
        {
            DeviceId = "pump-0042.ward-3",
            Sequence = 123_456,
            BootCount = 17,
            UptimeSeconds = 86_400,
            FirmwareVersion = "1.4.2",
            FirmwareDigest = firmware,
            ActiveSlot = FirmwareSlot.B,
            ConfigurationDigest = configuration,
            PreviousDigest = previous,
            PostureFlags = 0,
            LastRefusal = 0,
        };
        _encoded = HeartbeatEncoder.Encode(_fields, _key);
    }

    [Benchmark(Description = "Encode + MAC (device)")]
    public byte[] EncodeAndMac() => HeartbeatEncoder.Encode(_fields, _key);

    [Benchmark(Description = "Decode + verify MAC + link (gateway)")]
    public byte[] DecodeAndVerify() => HeartbeatDecoder.Decode(_encoded, _key).GetLink();
}
