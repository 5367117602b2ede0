namespace IoTSec.Protocol.Console
{
    /// <summary>Why a console frame was refused or a console request failed.</summary>
    public enum ConsoleProtocolError : byte
    {
        /// <summary>No valid response arrived within the configured attempts (transient).</summary>
        Timeout = 1,

        /// <summary>The device answered with an error status; see <see cref="ConsoleProtocolException.RemoteStatus"/>.</summary>
        RemoteError = 2,

        /// <summary>A payload or an encoded frame exceeds the maximum frame size.</summary>
        FrameTooLarge = 3,

        /// <summary>COBS input contains a zero byte, which only ever delimits frames.</summary>
        CobsZeroByte = 4,

        /// <summary>A COBS code byte points past the end of the input (or the input is empty).</summary>
        CobsOverrun = 5,

        /// <summary>The frame is shorter than its fixed header and checksum.</summary>
        FrameTooShort = 6,

        /// <summary>The CRC-32 over the frame does not match its last four bytes.</summary>
        ChecksumMismatch = 7,

        /// <summary>The frame's version byte is not one this library speaks.</summary>
        UnsupportedVersion = 8,

        /// <summary>The frame's kind byte is not request, response or error.</summary>
        UnknownFrameKind = 9,

        /// <summary>The declared payload length disagrees with the frame's size.</summary>
        LengthMismatch = 10,

        /// <summary>A response carries a non-zero status, or an error frame carries status 0.</summary>
        InconsistentStatus = 11,
    }
}
