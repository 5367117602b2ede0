using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device's answer to Info: who it is, what it runs, where it is in its life, and what
    /// hardening its platform reports (docs/protocols/console.md, <c>device-info</c>).
    /// </summary>
    public sealed class DeviceInfo
    {
        private const int KeyHardwareId = 1;
        private const int KeyBoard = 2;
        private const int KeyFirmwareVersion = 3;
        private const int KeyFirmwareDigest = 4;
        private const int KeyLifecycle = 5;
        private const int KeyLock = 6;
        private const int KeySecureBoot = 7;
        private const int KeyFlashEncryption = 8;
        private const int KeyDebugPortsDisabled = 9;
        private const int KeyStaged = 10;
        private const int KeyReworkMode = 11;
        private const uint RequiredKeys = 0xFFE; // keys 1 to 11

        private readonly byte[] _firmwareDigest;

        /// <summary>Creates the answer; every value is checked as the decoder would check it.</summary>
        /// <param name="hardwareId">The chip's unique id (STM32 unique device id, ESP32 MAC), 1 to 64 visible ASCII characters.</param>
        /// <param name="board">The board profile name (hardware/boards), 1 to 64 visible ASCII characters.</param>
        /// <param name="firmwareVersion">The running firmware's version, 1 to 64 visible ASCII characters.</param>
        /// <param name="firmwareDigest">SHA-256 of the running firmware image (32 bytes, copied).</param>
        /// <param name="lifecycle">The lifecycle state.</param>
        /// <param name="lockState">Whether provisioning is locked.</param>
        /// <param name="secureBoot">Secure boot enabled?</param>
        /// <param name="flashEncryption">Flash encryption enabled?</param>
        /// <param name="debugPortsDisabled">Debug ports (JTAG/SWD) disabled?</param>
        /// <param name="staged">Which items are staged and not committed.</param>
        /// <param name="reworkMode">True only when the board's rework strap was held at this boot (read from hardware by the firmware, never set over the console); it allows a factory reset of a locked device.</param>
        /// <exception cref="ProvisioningPayloadException">A value is out of range.</exception>
        public DeviceInfo(
            string hardwareId,
            string board,
            string firmwareVersion,
            byte[] firmwareDigest,
            LifecycleState lifecycle,
            ProvisioningLock lockState,
            HardeningState secureBoot,
            HardeningState flashEncryption,
            HardeningState debugPortsDisabled,
            StagedItems staged,
            bool reworkMode)
        {
            ProvisioningText.CheckIdentifier(hardwareId, "hardware id");
            ProvisioningText.CheckIdentifier(board, "board");
            ProvisioningText.CheckIdentifier(firmwareVersion, "firmware version");
            if (firmwareDigest == null || firmwareDigest.Length != ProvisioningLimits.DigestLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "firmware digest must be 32 bytes (SHA-256)");
            }

            CheckRange((int)lifecycle, (int)LifecycleState.Decommissioned, "lifecycle state");
            CheckRange((int)lockState, (int)ProvisioningLock.Locked, "lock state");
            CheckRange((int)secureBoot, (int)HardeningState.No, "secure boot");
            CheckRange((int)flashEncryption, (int)HardeningState.No, "flash encryption");
            CheckRange((int)debugPortsDisabled, (int)HardeningState.No, "debug ports disabled");
            CheckRange((int)staged, (int)StagedItems.All, "staged items");
            HardwareId = hardwareId;
            Board = board;
            FirmwareVersion = firmwareVersion;
            _firmwareDigest = Copy(firmwareDigest);
            Lifecycle = lifecycle;
            Lock = lockState;
            SecureBoot = secureBoot;
            FlashEncryption = flashEncryption;
            DebugPortsDisabled = debugPortsDisabled;
            Staged = staged;
            ReworkMode = reworkMode;
        }

        /// <summary>The chip's unique id.</summary>
        public string HardwareId { get; }

        /// <summary>The board profile name.</summary>
        public string Board { get; }

        /// <summary>The running firmware's version.</summary>
        public string FirmwareVersion { get; }

        /// <summary>The lifecycle state.</summary>
        public LifecycleState Lifecycle { get; }

        /// <summary>Whether provisioning is locked.</summary>
        public ProvisioningLock Lock { get; }

        /// <summary>Secure boot enabled?</summary>
        public HardeningState SecureBoot { get; }

        /// <summary>Flash encryption enabled?</summary>
        public HardeningState FlashEncryption { get; }

        /// <summary>Debug ports (JTAG/SWD) disabled?</summary>
        public HardeningState DebugPortsDisabled { get; }

        /// <summary>Which items are staged and not committed.</summary>
        public StagedItems Staged { get; }

        /// <summary>True when the board's rework strap was held at this boot: the physical path that allows a factory reset of a locked device.</summary>
        public bool ReworkMode { get; }

        /// <summary>SHA-256 of the running firmware image.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetFirmwareDigest()
        {
            return Copy(_firmwareDigest);
        }

        /// <summary>Encodes the answer.</summary>
        /// <returns>The payload bytes.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(160);
            writer.WriteStartMap(11);
            writer.WriteUInt64(KeyHardwareId);
            writer.WriteTextString(HardwareId);
            writer.WriteUInt64(KeyBoard);
            writer.WriteTextString(Board);
            writer.WriteUInt64(KeyFirmwareVersion);
            writer.WriteTextString(FirmwareVersion);
            writer.WriteUInt64(KeyFirmwareDigest);
            writer.WriteByteString(_firmwareDigest);
            writer.WriteUInt64(KeyLifecycle);
            writer.WriteUInt64((ulong)Lifecycle);
            writer.WriteUInt64(KeyLock);
            writer.WriteUInt64((ulong)Lock);
            writer.WriteUInt64(KeySecureBoot);
            writer.WriteUInt64((ulong)SecureBoot);
            writer.WriteUInt64(KeyFlashEncryption);
            writer.WriteUInt64((ulong)FlashEncryption);
            writer.WriteUInt64(KeyDebugPortsDisabled);
            writer.WriteUInt64((ulong)DebugPortsDisabled);
            writer.WriteUInt64(KeyStaged);
            writer.WriteUInt64((ulong)Staged);
            writer.WriteUInt64(KeyReworkMode);
            writer.WriteBoolean(ReworkMode);
            return writer.Encode();
        }

        /// <summary>Decodes the answer (tool side). Keys a newer device adds are skipped.</summary>
        /// <param name="payload">The response payload.</param>
        /// <returns>The answer.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed, a required key missing, or a value out of range.</exception>
        public static DeviceInfo Decode(byte[] payload)
        {
            var reader = new PayloadReader(payload, "Info answer");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            string hardwareId = string.Empty;
            string board = string.Empty;
            string firmwareVersion = string.Empty;
            byte[] digest = new byte[0];
            int lifecycle = 0;
            int lockState = 0;
            int secureBoot = 0;
            int flashEncryption = 0;
            int debugPorts = 0;
            int staged = 0;
            bool rework = false;
            for (int i = 0; i < pairs; i++)
            {
                switch (reader.ReadKey())
                {
                    case KeyHardwareId: hardwareId = reader.ReadText("hardware id"); break;
                    case KeyBoard: board = reader.ReadText("board"); break;
                    case KeyFirmwareVersion: firmwareVersion = reader.ReadText("firmware version"); break;
                    case KeyFirmwareDigest: digest = reader.ReadBytes("firmware digest", ProvisioningLimits.DigestLength, ProvisioningLimits.DigestLength); break;
                    case KeyLifecycle: lifecycle = reader.ReadInt("lifecycle state", 0, (int)LifecycleState.Decommissioned); break;
                    case KeyLock: lockState = reader.ReadInt("lock state", 0, (int)ProvisioningLock.Locked); break;
                    case KeySecureBoot: secureBoot = reader.ReadInt("secure boot", 0, (int)HardeningState.No); break;
                    case KeyFlashEncryption: flashEncryption = reader.ReadInt("flash encryption", 0, (int)HardeningState.No); break;
                    case KeyDebugPortsDisabled: debugPorts = reader.ReadInt("debug ports disabled", 0, (int)HardeningState.No); break;
                    case KeyStaged: staged = reader.ReadInt("staged items", 0, (int)StagedItems.All); break;
                    case KeyReworkMode: rework = reader.ReadBool("rework mode"); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(RequiredKeys);
            return new DeviceInfo(
                hardwareId,
                board,
                firmwareVersion,
                digest,
                (LifecycleState)lifecycle,
                (ProvisioningLock)lockState,
                (HardeningState)secureBoot,
                (HardeningState)flashEncryption,
                (HardeningState)debugPorts,
                (StagedItems)staged,
                rework);
        }

        private static void CheckRange(int value, int max, string field)
        {
            if (value < 0 || value > max)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, field + " " + value.ToString() + " is outside 0 to " + max.ToString());
            }
        }

        private static byte[] Copy(byte[] source)
        {
            var copy = new byte[source.Length];
            System.Array.Copy(source, copy, source.Length);
            return copy;
        }
    }
}
