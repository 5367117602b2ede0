using System;
using IoTSec.Protocol.Cbor;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The CBOR subset reader. Oracle: whatever the strict (deterministic) reader accepts must
/// re-encode, through the portable writer, to exactly the bytes it was read from — a
/// reader and writer that disagree on what "deterministic" means would let two parties MAC
/// different bytes for one message.
/// </summary>
public sealed class CborFuzzTarget : FuzzTarget
{
    public override string Name => "cbor";

    protected override void Decode(byte[] input)
    {
        var reader = new CborReader(input);
        var writer = new CborWriter();
        Copy(reader, writer);
        reader.ReadEnd();

        var reencoded = writer.Encode();
        if (!reencoded.AsSpan().SequenceEqual(input))
        {
            throw new InvalidOperationException("accepted CBOR did not re-encode to the same bytes");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is CborException;

    private static void Copy(CborReader reader, CborWriter writer)
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
