using System;
using System.Globalization;
using System.Numerics;
using System.Text;
using IoTSec.Protocol.Cbor;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Cbor;

/// <summary>
/// Renders a data item in a diagnostic notation close to RFC 8949 §8, from our reader or
/// from System.Formats.Cbor's, so two decoders can be compared item by item as text.
/// </summary>
internal static class CborDiagnostic
{
    /// <summary>Reads exactly one item with our reader and requires the input to end there.</summary>
    public static string Read(byte[] encoded, CborConformance conformance = CborConformance.Deterministic)
    {
        var reader = new IoTSec.Protocol.Cbor.CborReader(encoded, 0, encoded.Length, conformance);
        var text = new StringBuilder();
        Append(reader, text);
        reader.ReadEnd();
        return text.ToString();
    }

    /// <summary>Reads exactly one item with System.Formats.Cbor in the given mode.</summary>
    public static string ReadWithReference(byte[] encoded, Sfc.CborConformanceMode mode)
    {
        var reader = new Sfc.CborReader(encoded, mode);
        var text = new StringBuilder();
        Append(reader, text);
        if (reader.BytesRemaining != 0)
        {
            throw new InvalidOperationException("trailing bytes");
        }

        return text.ToString();
    }

    public static string Text(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            {
                text.Append(c);
            }
            else
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return text.Append('"').ToString();
    }

    public static string Bytes(byte[] value) => "h'" + Convert.ToHexStringLower(value) + "'";

    public static string Negative(ulong argument) => (BigInteger.MinusOne - argument).ToString(CultureInfo.InvariantCulture);

    private static void Append(IoTSec.Protocol.Cbor.CborReader reader, StringBuilder text)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                text.Append(reader.ReadUInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case CborReaderState.NegativeInteger:
                text.Append(Negative(reader.ReadCborNegativeIntegerRepresentation()));
                break;
            case CborReaderState.ByteString:
                text.Append(Bytes(reader.ReadByteString()));
                break;
            case CborReaderState.TextString:
                text.Append(Text(reader.ReadTextString()));
                break;
            case CborReaderState.StartArray:
                var items = reader.ReadStartArray();
                text.Append('[');
                for (var i = 0; i < items; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Append(reader, text);
                }

                reader.ReadEndArray();
                text.Append(']');
                break;
            case CborReaderState.StartMap:
                var pairs = reader.ReadStartMap();
                text.Append('{');
                for (var i = 0; i < pairs; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Append(reader, text);
                    text.Append(": ");
                    Append(reader, text);
                }

                reader.ReadEndMap();
                text.Append('}');
                break;
            case CborReaderState.Tag:
                text.Append(reader.ReadTag().ToString(CultureInfo.InvariantCulture)).Append('(');
                Append(reader, text);
                text.Append(')');
                break;
            case CborReaderState.Boolean:
                text.Append(reader.ReadBoolean() ? "true" : "false");
                break;
            case CborReaderState.Null:
                reader.ReadNull();
                text.Append("null");
                break;
            default:
                // Finished at the top level: the reader must report the missing item itself.
                reader.SkipValue();
                break;
        }
    }

    private static void Append(Sfc.CborReader reader, StringBuilder text)
    {
        switch (reader.PeekState())
        {
            case Sfc.CborReaderState.UnsignedInteger:
                text.Append(reader.ReadUInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case Sfc.CborReaderState.NegativeInteger:
                text.Append(Negative(reader.ReadCborNegativeIntegerRepresentation()));
                break;
            case Sfc.CborReaderState.ByteString:
                text.Append(Bytes(reader.ReadByteString()));
                break;
            case Sfc.CborReaderState.TextString:
                text.Append(Text(reader.ReadTextString()));
                break;
            case Sfc.CborReaderState.StartArray:
                var items = reader.ReadStartArray() ?? throw new InvalidOperationException("indefinite");
                text.Append('[');
                for (var i = 0; i < items; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Append(reader, text);
                }

                reader.ReadEndArray();
                text.Append(']');
                break;
            case Sfc.CborReaderState.StartMap:
                var pairs = reader.ReadStartMap() ?? throw new InvalidOperationException("indefinite");
                text.Append('{');
                for (var i = 0; i < pairs; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    Append(reader, text);
                    text.Append(": ");
                    Append(reader, text);
                }

                reader.ReadEndMap();
                text.Append('}');
                break;
            case Sfc.CborReaderState.Tag:
                text.Append(((ulong)reader.ReadTag()).ToString(CultureInfo.InvariantCulture)).Append('(');
                Append(reader, text);
                text.Append(')');
                break;
            case Sfc.CborReaderState.Boolean:
                text.Append(reader.ReadBoolean() ? "true" : "false");
                break;
            case Sfc.CborReaderState.Null:
                reader.ReadNull();
                text.Append("null");
                break;
            default:
                throw new InvalidOperationException("outside the subset: " + reader.PeekState());
        }
    }
}
