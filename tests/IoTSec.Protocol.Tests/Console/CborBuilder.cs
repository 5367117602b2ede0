using System;
using System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Builds CBOR with System.Formats.Cbor in lax mode, keys in the order given, so tests can
/// write payloads the portable encoder would never produce (unsorted, duplicated, wrong types).
/// </summary>
internal static class CborBuilder
{
    /// <summary>An already-encoded item, written as is.</summary>
    public sealed record Raw(byte[] Encoded);

    public static byte[] Map(params (object Key, object Value)[] pairs)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
        writer.WriteStartMap(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            Write(writer, key);
            Write(writer, value);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    public static byte[] Array(params object[] items)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartArray(items.Length);
        foreach (var item in items)
        {
            Write(writer, item);
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>A write request carrying <paramref name="item"/> whole.</summary>
    public static byte[] WholeChunk(byte[] item) => Map((1, item.Length), (2, 0), (3, item));

    public static byte[] Anchor(int kind, byte[] value, byte[] keyId) => Map((1, kind), (2, value), (3, keyId));

    public static byte[] Configuration(string deviceClass = "env-sensor", string host = "gw01.plant.example", int gatewayPort = 8443, int mqttPort = 8883, int heartbeat = 300) =>
        Map((1, deviceClass), (2, host), (3, gatewayPort), (4, mqttPort), (5, heartbeat));

    private static void Write(CborWriter writer, object value)
    {
        switch (value)
        {
            case Raw raw: writer.WriteEncodedValue(raw.Encoded); break;
            case int i: writer.WriteInt64(i); break;
            case long l: writer.WriteInt64(l); break;
            case ulong u: writer.WriteUInt64(u); break;
            case string s: writer.WriteTextString(s); break;
            case byte[] b: writer.WriteByteString(b); break;
            case bool f: writer.WriteBoolean(f); break;
            case double d: writer.WriteDouble(d); break;
            default: throw new ArgumentException("cannot write " + value.GetType());
        }
    }
}
