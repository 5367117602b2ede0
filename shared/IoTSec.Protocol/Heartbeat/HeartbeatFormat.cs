namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>The constants of the heartbeat wire format (docs/protocols/heartbeat.md).</summary>
    public static class HeartbeatFormat
    {
        /// <summary>The body version this library writes and accepts (key 1).</summary>
        public const int Version = 1;

        /// <summary>Length of every digest field and of a chain link: SHA-256.</summary>
        public const int DigestLength = 32;

        /// <summary>
        /// Longest encoded heartbeat accepted. The largest valid version-1 heartbeat (64-byte
        /// device id and firmware version, every integer at its widest) encodes in 316 bytes;
        /// the bound leaves room and stops a hostile publisher from making the gateway MAC
        /// kilobytes.
        /// </summary>
        public const int MaxEncodedLength = 512;

        /// <summary>Longest firmware version, in characters of printable ASCII.</summary>
        public const int MaxFirmwareVersionLength = 64;

        /// <summary>The MAC's domain-separation label as text; on the wire it is these ASCII bytes and one NUL.</summary>
        public const string MacLabel = "IoTSec heartbeat v1";

        // Body map keys (docs/protocols/heartbeat.md, CDDL).
        internal const int KeyVersion = 1;
        internal const int KeyDeviceId = 2;
        internal const int KeySequence = 3;
        internal const int KeyBootCount = 4;
        internal const int KeyUptime = 5;
        internal const int KeyFirmwareVersion = 6;
        internal const int KeyFirmwareDigest = 7;
        internal const int KeyActiveSlot = 8;
        internal const int KeyConfigurationDigest = 9;
        internal const int KeyPreviousDigest = 10;
        internal const int KeyPostureFlags = 11;
        internal const int KeyLastRefusal = 12;
        internal const int MaxKey = 12;

        internal static readonly byte[] MacPrefix = MacEnvelope.Label(MacLabel);

        /// <summary>The bytes the MAC input starts with: <see cref="MacLabel"/> in ASCII, then 0x00.</summary>
        /// <returns>A new array of 20 bytes.</returns>
        public static byte[] GetMacPrefix()
        {
            return (byte[])MacPrefix.Clone();
        }
    }
}
