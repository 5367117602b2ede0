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
        CborTranscoder.Copy(reader, writer);
        reader.ReadEnd();

        var reencoded = writer.Encode();
        if (!reencoded.AsSpan().SequenceEqual(input))
        {
            throw new InvalidOperationException("accepted CBOR did not re-encode to the same bytes");
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is CborException;
}
