using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Benchmarks;

/// <summary>
/// HMAC-SHA256 of a heartbeat-sized (200-byte) message: the portable HMAC against .NET's, both
/// one-shot (key set up on every call) and with a keyed instance reused across messages.
/// </summary>
[MemoryDiagnoser]
public class HmacSha256Benchmarks
{
    private readonly byte[] _mac = new byte[32];
    private byte[] _key = [];
    private byte[] _message = [];
    private HmacSha256? _portable;
    private HMACSHA256? _dotNet;

    /// <summary>Message length in bytes.</summary>
    [Params(200)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _key = new byte[32];
        random.NextBytes(_key);
        _message = new byte[Size];
        random.NextBytes(_message);
        _portable = new HmacSha256(_key);
        _dotNet = new HMACSHA256(_key);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _portable?.Dispose();
        _dotNet?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "DotNet HMACSHA256.HashData")]
    public byte[] DotNetOneShot() => HMACSHA256.HashData(_key, _message);

    [Benchmark(Description = "Portable HmacSha256.Compute")]
    public byte[] PortableOneShot() => HmacSha256.Compute(_key, _message);

    [Benchmark(Description = "DotNet HMACSHA256 reused")]
    public byte[] DotNetReused()
    {
        _dotNet!.TryComputeHash(_message, _mac, out _);
        return _mac;
    }

    [Benchmark(Description = "Portable HmacSha256 reused")]
    public byte[] PortableReused()
    {
        _portable!.Reset();
        _portable.Update(_message, 0, _message.Length);
        _portable.Final(_mac, 0);
        return _mac;
    }
}
