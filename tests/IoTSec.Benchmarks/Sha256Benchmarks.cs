using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using PortableSha256 = IoTSec.Protocol.Crypto.Sha256;

namespace IoTSec.Benchmarks;

/// <summary>
/// The portable SHA-256 (what the device runs, and what the gateway could run) against .NET's,
/// which uses the CPU's SHA extensions through OpenSSL. Target for the portable one: at least a
/// tenth of .NET's throughput, i.e. a good scalar implementation.
/// </summary>
[MemoryDiagnoser]
public class Sha256Benchmarks
{
    private readonly PortableSha256 _reused = new();
    private readonly byte[] _digest = new byte[32];
    private byte[] _data = [];

    /// <summary>Message length in bytes: a heartbeat, a manifest, a firmware chunk, a firmware image.</summary>
    [Params(64, 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark(Baseline = true, Description = "DotNet SHA256.HashData")]
    public byte[] DotNet() => SHA256.HashData(_data);

    [Benchmark(Description = "Portable Sha256.Hash")]
    public byte[] PortableOneShot() => PortableSha256.Hash(_data);

    [Benchmark(Description = "Portable Sha256 reused")]
    public byte[] PortableReused()
    {
        _reused.Reset();
        _reused.Update(_data, 0, _data.Length);
        _reused.Final(_digest, 0);
        return _digest;
    }
}
