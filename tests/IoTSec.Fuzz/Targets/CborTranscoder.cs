using System;
using IoTSec.Protocol.Cbor;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// Re-encodes one item read by the portable reader with the portable writer: the
/// transcoding round trip the CBOR fuzz oracle and the Appendix A tests both check.
/// </summary>
public static class CborTranscoder
{
    /// <summary>Copies the next item (recursively) from <paramref name="reader"/> to <paramref name="writer"/>.</summary>
    public static void Copy(CborReader reader, CborWriter writer)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                writer.WriteUInt64(reader.ReadUInt64());
                break;
            case CborReaderState.NegativeInteger:
                writer.WriteCborNegativeIntegerRepresentation(reader.ReadCborNegativeIntegerRepresentation());
                break;
            case CborReaderState.ByteString:
                writer.WriteByteString(reader.ReadByteString());
                break;
            case CborReaderState.TextString:
                writer.WriteTextString(reader.ReadTextString());
                break;
            case CborReaderState.Boolean:
                writer.WriteBoolean(reader.ReadBoolean());
                break;
            case CborReaderState.Null:
                reader.ReadNull();
                writer.WriteNull();
                break;
            case CborReaderState.Tag:
                writer.WriteTag(reader.ReadTag());
                Copy(reader, writer);
                break;
            case CborReaderState.StartArray:
                var items = reader.ReadStartArray();
                writer.WriteStartArray(items);
                for (var i = 0; i < items; i++)
                {
                    Copy(reader, writer);
                }

                reader.ReadEndArray();
                break;
            case CborReaderState.StartMap:
                var pairs = reader.ReadStartMap();
                writer.WriteStartMap(pairs);
                for (var i = 0; i < 2 * pairs; i++)
                {
                    Copy(reader, writer);
                }

                reader.ReadEndMap();
                break;
            default:
                throw new InvalidOperationException("reader reported state " + reader.PeekState() + " where a value was expected");
        }
    }
}
