using System;
using System.Buffers.Binary;

namespace IoTSec.Gateway.Tpm.Wire;

/// <summary>Reads TPM 2.0 structures in wire format; every read is bounds-checked.</summary>
internal ref struct TpmWireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public TpmWireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    public readonly int Remaining => _data.Length - _offset;

    public byte UInt8() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>A TPM2B: the 16-bit size, then that many bytes.</summary>
    public ReadOnlySpan<byte> Sized() => Take(UInt16());

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new FormatException($"TPM structure truncated: needed {count} bytes at offset {_offset}, {Remaining} left");
        }

        var slice = _data.Slice(_offset, count);
        _offset += count;
        return slice;
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw new FormatException($"TPM structure has {Remaining} trailing bytes");
        }
    }
}
