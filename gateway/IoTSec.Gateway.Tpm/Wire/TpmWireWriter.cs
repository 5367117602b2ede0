using System;
using System.Buffers;
using System.Buffers.Binary;

namespace IoTSec.Gateway.Tpm.Wire;

/// <summary>
/// Writes TPM 2.0 structures in their canonical wire format (TPM 2.0 Part 2: big-endian
/// integers, TPM2B = 16-bit size then bytes). The bytes are handed to libtss2-mu, which
/// turns them into the C structures Esys expects, so this code never depends on the C
/// structure layout.
/// </summary>
internal sealed class TpmWireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public TpmWireWriter UInt8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public TpmWireWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public TpmWireWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public TpmWireWriter Bytes(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    /// <summary>A TPM2B: the 16-bit size, then the bytes.</summary>
    public TpmWireWriter Sized(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a TPM2B holds at most 65535 bytes");
        }

        return UInt16((ushort)value.Length).Bytes(value);
    }

    /// <summary>A TPM2B whose content is another structure (TPM2B_PUBLIC, TPM2B_SENSITIVE_CREATE).</summary>
    public TpmWireWriter Sized(TpmWireWriter inner) => Sized(inner._buffer.WrittenSpan);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Overwrites the written bytes (for structures that carry secrets).</summary>
    public void Clear() => _buffer.Clear();
}
