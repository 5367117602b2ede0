using System;
using System.Buffers.Binary;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Builds frame bytes by hand, independently of the codec under test: a header, a payload
/// and a CRC-32 from System.IO.Hashing, so malformed frames can carry a valid checksum and
/// reach the checks behind it.
/// </summary>
internal static class FrameBytes
{
    public static byte[] Raw(byte version, byte kind, ushort sequence, byte code, int declaredLength, byte[] payload)
    {
        var body = new byte[7 + payload.Length];
        body[0] = version;
        body[1] = kind;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), sequence);
        body[4] = code;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(5), (ushort)declaredLength);
        payload.CopyTo(body, 7);
        return WithCrc(body);
    }

    public static byte[] WithCrc(byte[] body)
    {
        var frame = new byte[body.Length + 4];
        body.CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(body.Length), HashingCrc32.HashToUInt32(body));
        return frame;
    }
}
