using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// The upstream wire format (docs/protocols/upstream.md): one MQTT message carries a batch of
/// spool records as a JSON document, gzip-compressed when configured (a consumer tells the
/// two apart by gzip's magic bytes 1f 8b: a JSON document starts with '{').
/// <code>{"v":1,"gw":"GATEWAY","r":[{"d":DEVICE,"s":SEQ,"f":FIRST,"k":"d|s|p|a|o","t":UNIX_MS,"b":BODY}, …]}</code>
/// </summary>
public static class UpstreamBatch
{
    /// <summary>The format version in "v".</summary>
    public const int Version = 1;

    /// <summary>The wire letter of a record kind.</summary>
    public static string Letter(SpoolRecordKind kind) => kind switch
    {
        SpoolRecordKind.Delta => "d",
        SpoolRecordKind.Snapshot => "s",
        SpoolRecordKind.Posture => "p",
        SpoolRecordKind.Alert => "a",
        SpoolRecordKind.Opaque => "o",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown record kind"),
    };

    /// <summary>Encodes <paramref name="records"/> (spool order) from <paramref name="gateway"/>.</summary>
    public static byte[] Encode(string gateway, IReadOnlyList<SpoolRecord> records, bool compress)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("gw", gateway);
            writer.WriteStartArray("r");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                writer.WriteString("d", record.DeviceId);
                writer.WriteNumber("s", record.Sequence);
                if (record.FirstSequence != record.Sequence)
                {
                    writer.WriteNumber("f", record.FirstSequence);
                }

                writer.WriteString("k", Letter(record.Kind));
                writer.WriteNumber("t", record.AtMilliseconds);
                writer.WritePropertyName("b");
                writer.WriteRawValue(record.Body, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (!compress)
        {
            return buffer.WrittenSpan.ToArray();
        }

        using var output = new MemoryStream(buffer.WrittenCount / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(buffer.WrittenSpan);
        }

        return output.ToArray();
    }

    /// <summary>True when <paramref name="payload"/> is gzip (magic 1f 8b).</summary>
    public static bool IsCompressed(ReadOnlySpan<byte> payload) => payload.Length >= 2 && payload[0] == 0x1f && payload[1] == 0x8b;
}
