namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The content of one heartbeat (docs/protocols/heartbeat.md). The device fills one per
    /// heartbeat and gives it to <see cref="HeartbeatEncoder"/>; the gateway gets one back from
    /// <see cref="HeartbeatDecoder"/>.
    /// </summary>
    /// <remarks>
    /// The byte-array properties are not copied on get or set: a device builds one of these
    /// per minute and copies cost allocations in the interpreter. A new instance holds an
    /// empty device id and firmware version and all-zero digests, which does not encode until
    /// filled in.
    /// </remarks>
    public sealed class HeartbeatFields
    {
        /// <summary>Creates an empty instance (not encodable until filled in).</summary>
        public HeartbeatFields()
        {
            DeviceId = string.Empty;
            FirmwareVersion = string.Empty;
            FirmwareDigest = new byte[HeartbeatFormat.DigestLength];
            ConfigurationDigest = new byte[HeartbeatFormat.DigestLength];
            PreviousDigest = new byte[HeartbeatFormat.DigestLength];
        }

        /// <summary>Key 2: the device id (see <see cref="Topics.DeviceId"/>).</summary>
        public string DeviceId { get; set; }

        /// <summary>
        /// Key 3: the heartbeat's number in its chain: 0 for the first heartbeat of a key
        /// epoch, then one more for each heartbeat sent. It survives reboots (stored with the
        /// chain head); only a new heartbeat key starts it at 0 again.
        /// </summary>
        public ulong Sequence { get; set; }

        /// <summary>Key 4: how many times the device has booted; persisted, never decreases.</summary>
        public uint BootCount { get; set; }

        /// <summary>Key 5: seconds since this boot.</summary>
        public uint UptimeSeconds { get; set; }

        /// <summary>Key 6: the human firmware version, 1-64 characters of printable ASCII without spaces (for example "1.4.2+77").</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Key 7: SHA-256 of the active image as stored in its slot (32 bytes).</summary>
        public byte[] FirmwareDigest { get; set; }

        /// <summary>Key 8: the slot the device booted from.</summary>
        public FirmwareSlot ActiveSlot { get; set; }

        /// <summary>Key 9: SHA-256 of the device's active configuration (32 bytes).</summary>
        public byte[] ConfigurationDigest { get; set; }

        /// <summary>
        /// Key 10: the link of the previous heartbeat (SHA-256 of its whole encoding, see
        /// <see cref="HeartbeatLink"/>); 32 zero bytes exactly when <see cref="Sequence"/> is 0.
        /// </summary>
        public byte[] PreviousDigest { get; set; }

        /// <summary>Key 11: posture flags; every set bit is a weakness the gateway weighs.</summary>
        public PostureFlags PostureFlags { get; set; }

        /// <summary>Key 12: the last refusal code (<see cref="RefusalCode"/>), 0 for none.</summary>
        public uint LastRefusal { get; set; }

        /// <summary>True for the first heartbeat of a key epoch (sequence 0, zero previous digest).</summary>
        public bool IsGenesis
        {
            get { return Sequence == 0; }
        }

        /// <summary>
        /// What is wrong with the fields for version 1, or the empty string when nothing is.
        /// Shared by the encoder (an argument error) and the decoder (a FieldInvalid refusal)
        /// so both hold the same rules.
        /// </summary>
        internal string Problem()
        {
            if (!Topics.DeviceId.IsValid(DeviceId))
            {
                return "device id (key 2) is not 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit";
            }

            if (!IsValidFirmwareVersion(FirmwareVersion))
            {
                return "firmware version (key 6) is not 1-64 characters of printable ASCII without spaces";
            }

            if (!IsDigest(FirmwareDigest))
            {
                return "firmware digest (key 7) is not 32 bytes";
            }

            if (ActiveSlot != FirmwareSlot.A && ActiveSlot != FirmwareSlot.B)
            {
                return "active slot (key 8) is not 0 (A) or 1 (B)";
            }

            if (!IsDigest(ConfigurationDigest))
            {
                return "configuration digest (key 9) is not 32 bytes";
            }

            if (!IsDigest(PreviousDigest))
            {
                return "previous digest (key 10) is not 32 bytes";
            }

            bool zero = HeartbeatLink.IsGenesis(PreviousDigest);
            if (Sequence == 0 && !zero)
            {
                return "sequence 0 starts a chain, so its previous digest (key 10) must be all zero";
            }

            if (Sequence != 0 && zero)
            {
                return "an all-zero previous digest (key 10) marks the first heartbeat, whose sequence must be 0, not " + Sequence.ToString();
            }

            return string.Empty;
        }

        /// <summary>True for 1-64 characters from '!' to '~'.</summary>
        internal static bool IsValidFirmwareVersion(string version)
        {
            if (version == null || version.Length == 0 || version.Length > HeartbeatFormat.MaxFirmwareVersionLength)
            {
                return false;
            }

            for (int i = 0; i < version.Length; i++)
            {
                if (version[i] < '!' || version[i] > '~')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDigest(byte[] value)
        {
            return value != null && value.Length == HeartbeatFormat.DigestLength;
        }
    }
}
