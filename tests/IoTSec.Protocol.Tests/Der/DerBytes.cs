using System;
using System.Collections.Generic;
using System.Formats.Asn1;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>
/// Hand assembly of DER for tests: lets a test write exactly the bytes it means, including
/// encodings .NET's writers refuse to produce (non-minimal lengths, indefinite length, ...).
/// </summary>
internal static class DerBytes
{
    /// <summary>Tag, minimal definite length, then the concatenated parts.</summary>
    public static byte[] Tlv(byte tag, params byte[][] parts)
    {
        var content = Concat(parts);
        return Concat([tag], Length(content.Length), content);
    }

    /// <summary>Tag, the given length octets verbatim, then the concatenated parts.</summary>
    public static byte[] TlvRawLength(byte tag, byte[] lengthOctets, params byte[][] parts)
    {
        return Concat([tag], lengthOctets, Concat(parts));
    }

    public static byte[] Sequence(params byte[][] parts) => Tlv(0x30, parts);

    public static byte[] Set(params byte[][] parts) => Tlv(0x31, parts);

    public static byte[] Explicit(int number, params byte[][] parts) => Tlv((byte)(0xA0 | number), parts);

    public static byte[] Integer(params byte[] content) => Tlv(0x02, content);

    public static byte[] Oid(string dotted)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(dotted);
        return writer.Encode();
    }

    public static byte[] Ascii(byte tag, string text) => Tlv(tag, System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>Minimal definite length octets (X.690 §10.1).</summary>
    public static byte[] Length(int length)
    {
        if (length < 0x80)
        {
            return [(byte)length];
        }

        var octets = new List<byte>();
        for (int v = length; v != 0; v >>= 8)
        {
            octets.Insert(0, (byte)v);
        }

        octets.Insert(0, (byte)(0x80 | octets.Count));
        return octets.ToArray();
    }

    public static byte[] Concat(params byte[][] parts)
    {
        int total = 0;
        foreach (var p in parts)
        {
            total += p.Length;
        }

        var all = new byte[total];
        int at = 0;
        foreach (var p in parts)
        {
            Buffer.BlockCopy(p, 0, all, at, p.Length);
            at += p.Length;
        }

        return all;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
