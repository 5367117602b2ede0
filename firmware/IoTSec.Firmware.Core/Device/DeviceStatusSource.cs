using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// The heartbeat's view of the running firmware: the OTA area's installed image, slot,
    /// trial and refusal state (<see cref="OtaStatus"/>, read fresh each heartbeat), the
    /// board's hardening facts and the console lock.
    /// </summary>
    /// <remarks>
    /// A device that never installed an image over the air (the factory image, the desktop
    /// simulator) has no <see cref="OtaStatus.RunningImage"/>: it reports the version and
    /// digest the firmware knows of itself (<see cref="ProvisioningDeviceFacts"/>), slot A.
    /// Hardening facts report what is known: "No" raises the flag, "Unknown" does not claim
    /// either way (the desktop cannot know), "Yes" clears it.
    /// </remarks>
    public sealed class DeviceStatusSource : Heartbeat.IHeartbeatStatusSource
    {
        private readonly OtaStatus _ota;
        private readonly ProvisioningDeviceFacts _facts;
        private readonly FlashProvisioningTarget _console;
        private readonly byte[] _configurationDigest;

        /// <summary>Creates the source.</summary>
        /// <param name="ota">The OTA area's status.</param>
        /// <param name="facts">The running firmware's facts.</param>
        /// <param name="console">The provisioning target (for the lock).</param>
        /// <param name="configuration">The active configuration (its encoding is digested once).</param>
        /// <param name="digests">SHA-256.</param>
        public DeviceStatusSource(OtaStatus ota, ProvisioningDeviceFacts facts, FlashProvisioningTarget console, ProvisioningConfiguration configuration, IDigestProvider digests)
        {
            _ota = ota;
            _facts = facts;
            _console = console;
            byte[] encoded = configuration.Encode();
            _configurationDigest = Digest(digests, encoded);
        }

        /// <inheritdoc />
        public string FirmwareVersion
        {
            get
            {
                InstalledImage image = RunningImage();
                return image == null ? _facts.FirmwareVersion : image.Version;
            }
        }

        /// <inheritdoc />
        public byte[] FirmwareDigest
        {
            get
            {
                InstalledImage image = RunningImage();
                return image == null ? _facts.GetFirmwareDigest() : image.GetDigest();
            }
        }

        /// <inheritdoc />
        public FirmwareSlot ActiveSlot
        {
            get
            {
                return RunningImage() == null ? FirmwareSlot.A : _ota.RunningSlot;
            }
        }

        /// <inheritdoc />
        public byte[] ConfigurationDigest
        {
            get
            {
                return (byte[])_configurationDigest.Clone();
            }
        }

        /// <inheritdoc />
        public PostureFlags PostureFlags
        {
            get
            {
                PostureFlags flags = _ota.PostureFlags;
                if (_facts.DebugPortsDisabled == HardeningState.No)
                {
                    flags |= PostureFlags.DebugPortOpen;
                }

                if (_facts.SecureBoot == HardeningState.No)
                {
                    flags |= PostureFlags.SecureBootOff;
                }

                if (_facts.FlashEncryption == HardeningState.No)
                {
                    flags |= PostureFlags.FlashEncryptionOff;
                }

                if (!_console.IsLocked())
                {
                    flags |= PostureFlags.ConsoleUnlocked;
                }

                return flags;
            }
        }

        /// <inheritdoc />
        public uint LastOtaRefusal
        {
            get
            {
                return _ota.LastRefusal;
            }
        }

        private static byte[] Digest(IDigestProvider digests, byte[] data)
        {
            IHashAlgorithm hash = digests.CreateSha256();
            try
            {
                hash.Update(data, 0, data.Length);
                byte[] digest = new byte[32];
                hash.Final(digest, 0);
                return digest;
            }
            finally
            {
                hash.Dispose();
            }
        }

        private InstalledImage RunningImage()
        {
            // An unreadable slot state is reported through the posture flags (StorageDegraded);
            // the digest then falls back to the firmware's own facts.
            return _ota.StateUnreadable ? null : _ota.RunningImage;
        }
    }
}
