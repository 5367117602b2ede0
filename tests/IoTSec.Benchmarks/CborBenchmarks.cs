using System;
using BenchmarkDotNet.Attributes;
using IoTSec.Protocol.Cbor;
using DotNetCbor = System.Formats.Cbor;

namespace IoTSec.Benchmarks;

/// <summary>
/// Encode and decode of a heartbeat-sized CBOR map (11 integer keys: ids, counters, three
/// 32-byte digests, a version string), portable subset against System.Formats.Cbor. This is
/// the work a gateway does per heartbeat before the MAC, and a device per heartbeat sent.
/// </summary>
[MemoryDiagnoser]
public class CborBenchmarks
{
    private readonly CborWriter _writer = new(256);
    private byte[] _digestA = [];
    private byte[] _digestB = [];
    private byte[] _digestC = [];
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _digestA = new byte[32];
        _digestB = new byte[32];
        _digestC = new byte[32];
        random.NextBytes(_digestA);
        random.NextBytes(_digestB);
        random.NextBytes(_digestC);
        _encoded = PortableEncode();
    }

    [Benchmark(Description = "Portable encode (reused writer)")]
    public byte[] PortableEncode()
    {
        _writer.Reset();
        _writer.WriteStartMap(11);
        _writer.WriteUInt64(1);
        _writer.WriteTextString("pump-0042.ward-3");
        _writer.WriteUInt64(2);
        _writer.WriteUInt64(123_456);
        _writer.WriteUInt64(3);
        _writer.WriteUInt64(17);
        _writer.WriteUInt64(4);
        _writer.WriteUInt64(86_400);
        _writer.WriteUInt64(5);
        _writer.WriteTextString("1.4.2");
        _writer.WriteUInt64(6);
        _writer.WriteByteString(_digestA);
        _writer.WriteUInt64(7);
        _writer.WriteUInt64(1);
        _writer.WriteUInt64(8);
        _writer.WriteByteString(_digestB);
        _writer.WriteUInt64(9);
        _writer.WriteByteString(_digestC);
        _writer.WriteUInt64(10);
        _writer.WriteUInt64(0x24);
        _writer.WriteUInt64(11);
        _writer.WriteUInt64(0);
        return _writer.Encode();
    }

    [Benchmark(Baseline = true, Description = "System.Formats.Cbor encode")]
    public byte[] DotNetEncode()
    {
        var writer = new DotNetCbor.CborWriter(DotNetCbor.CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(11);
        writer.WriteUInt64(1);
        writer.WriteTextString("pump-0042.ward-3");
        writer.WriteUInt64(2);
        writer.WriteUInt64(123_456);
        writer.WriteUInt64(3);
        writer.WriteUInt64(17);
        writer.WriteUInt64(4);
        writer.WriteUInt64(86_400);
        writer.WriteUInt64(5);
        writer.WriteTextString("1.4.2");
        writer.WriteUInt64(6);
        writer.WriteByteString(_digestA);
        writer.WriteUInt64(7);
        writer.WriteUInt64(1);
        writer.WriteUInt64(8);
        writer.WriteByteString(_digestB);
        writer.WriteUInt64(9);
        writer.WriteByteString(_digestC);
        writer.WriteUInt64(10);
        writer.WriteUInt64(0x24);
        writer.WriteUInt64(11);
        writer.WriteUInt64(0);
        writer.WriteEndMap();
        return writer.Encode();
    }

    [Benchmark(Description = "Portable decode")]
    public int PortableDecode()
    {
        var reader = new CborReader(_encoded);
        var pairs = reader.ReadStartMap();
        var sum = 0;
        for (var i = 0; i < pairs; i++)
        {
            sum += (int)reader.ReadUInt64();
            switch (reader.PeekState())
            {
                case CborReaderState.UnsignedInteger:
                    sum += (int)reader.ReadUInt64();
                    break;
                case CborReaderState.ByteString:
                    reader.ReadByteStringSegment(out _, out var length);
                    sum += length;
                    break;
                default:
                    sum += reader.ReadTextString().Length;
                    break;
            }
        }

        reader.ReadEndMap();
        reader.ReadEnd();
        return sum;
    }

    [Benchmark(Description = "System.Formats.Cbor decode")]
    public int DotNetDecode()
    {
        var reader = new DotNetCbor.CborReader(_encoded, DotNetCbor.CborConformanceMode.Ctap2Canonical);
        var pairs = reader.ReadStartMap() ?? 0;
        var sum = 0;
        for (var i = 0; i < pairs; i++)
        {
            sum += (int)reader.ReadUInt64();
            switch (reader.PeekState())
            {
                case DotNetCbor.CborReaderState.UnsignedInteger:
                    sum += (int)reader.ReadUInt64();
                    break;
                case DotNetCbor.CborReaderState.ByteString:
                    sum += reader.ReadByteString().Length;
                    break;
                default:
                    sum += reader.ReadTextString().Length;
                    break;
            }
        }

        reader.ReadEndMap();
        return sum;
    }
}
