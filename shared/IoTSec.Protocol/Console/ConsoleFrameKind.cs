namespace IoTSec.Protocol.Console
{
    /// <summary>The kind byte of a console frame: what its code byte means.</summary>
    public enum ConsoleFrameKind : byte
    {
        /// <summary>Tool to device; the code is a <see cref="ConsoleCommand"/>.</summary>
        Request = 0x01,

        /// <summary>Device to tool, success; the code is <see cref="ConsoleStatus.Ok"/>.</summary>
        Response = 0x02,

        /// <summary>Device to tool, refusal; the code is a non-zero <see cref="ConsoleStatus"/>.</summary>
        Error = 0x03,
    }
}
