using System;
using IoTSec.Protocol.Console;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The serial console's receive path, as bytes arrive from the cable: the input is a raw
/// byte stream (frames, delimiters, noise) fed to <see cref="FrameReader"/>, which must
/// drop what is malformed and count it, never throw. Oracle: every frame it accepts
/// re-encodes (frame codec, then COBS) to exactly the bytes that carried it.
/// </summary>
public sealed class ConsoleFrameFuzzTarget : FuzzTarget
{
    public override string Name => "console-frame";

    protected override void Decode(byte[] input)
    {
        var channel = new ReplayChannel(input);
        var reader = new FrameReader(channel);
        while (true)
        {
            var result = reader.Read(0);
            if (result == FrameReadResult.Timeout && channel.Exhausted)
            {
                break;
            }

            if (result == FrameReadResult.Frame)
            {
                var encoded = ConsoleFrameCodec.Encode(reader.Frame);
                var stuffed = Cobs.Encode(encoded, 0, encoded.Length);
                if (input.AsSpan().IndexOf(stuffed) < 0)
                {
                    throw new InvalidOperationException("an accepted console frame does not re-encode to bytes present in the input");
                }
            }
        }

        // The stand-alone decoder must agree: the whole input as one frame.
        try
        {
            var unstuffed = Cobs.Decode(input, 0, input.Length);
            var frame = ConsoleFrameCodec.Decode(unstuffed, 0, unstuffed.Length);
            if (!ConsoleFrameCodec.Encode(frame).AsSpan().SequenceEqual(unstuffed))
            {
                throw new InvalidOperationException("an accepted console frame did not re-encode to the same bytes");
            }
        }
        catch (ConsoleProtocolException)
        {
            // Refused the documented way.
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => false;

    /// <summary>Hands the input to the reader in small chunks, then reports end of data.</summary>
    private sealed class ReplayChannel(byte[] data) : IByteChannel
    {
        private int _position;

        public bool Exhausted => _position >= data.Length;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            // Uneven chunk sizes exercise frames split across reads.
            var chunk = Math.Min(Math.Min(count, 7 + (_position % 13)), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, chunk);
            _position += chunk;
            return chunk;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
        }
    }
}
