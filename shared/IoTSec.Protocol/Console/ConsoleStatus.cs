namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Status codes of a response (<see cref="ConsoleFrameKind.Response"/> always carries
    /// <see cref="Ok"/>; <see cref="ConsoleFrameKind.Error"/> carries any other). 0x01–0x0F
    /// are the command handler's answers; 0x10–0x1F belong to the session layer itself.
    /// </summary>
    public enum ConsoleStatus : byte
    {
        /// <summary>The command was carried out; the payload is its result.</summary>
        Ok = 0x00,

        /// <summary>The device does not know the command code.</summary>
        UnknownCommand = 0x01,

        /// <summary>The payload could not be parsed or is out of range for the command.</summary>
        BadPayload = 0x02,

        /// <summary>Provisioning is locked; writes, commit, lock and factory reset (without the rework strap) are refused.</summary>
        Locked = 0x03,

        /// <summary>Commit while a required item is not staged (or a chunked write is incomplete), lock before a commit, or read-back with nothing staged.</summary>
        NotStaged = 0x04,

        /// <summary>The device failed while carrying out the command (storage error, handler fault).</summary>
        InternalError = 0x05,

        /// <summary>
        /// Session layer: the request's sequence number is older than the last one the device
        /// executed, so it was not executed (a late duplicate, or a client that restarted).
        /// The payload is the device's last sequence number (2 bytes, big-endian); the client
        /// continues after it.
        /// </summary>
        StaleSequence = 0x10,
    }
}
