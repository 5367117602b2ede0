using System;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// What the console reports about the running firmware and the board's hardening, read
    /// once at boot by the firmware (the OTA loader knows the running image; the board layer
    /// reads the eFuses or option bytes and samples the rework strap) and handed to
    /// <see cref="FlashProvisioningTarget"/>.
    /// </summary>
    public sealed class ProvisioningDeviceFacts
    {
        private readonly byte[] _firmwareDigest;

        /// <summary>Creates the facts.</summary>
        /// <param name="firmwareVersion">The running firmware's version (1 to 64 visible ASCII characters).</param>
        /// <param name="firmwareDigest">SHA-256 of the running firmware image (32 bytes, copied).</param>
        /// <param name="secureBoot">Secure boot enabled?</param>
        /// <param name="flashEncryption">Flash encryption enabled?</param>
        /// <param name="debugPortsDisabled">Debug ports (JTAG/SWD) disabled?</param>
        /// <param name="reworkMode">The board's rework strap was held at this boot (sampled from hardware, never set over the console).</param>
        public ProvisioningDeviceFacts(string firmwareVersion, byte[] firmwareDigest, HardeningState secureBoot, HardeningState flashEncryption, HardeningState debugPortsDisabled, bool reworkMode)
        {
            if (firmwareVersion == null || firmwareVersion.Length == 0)
            {
                throw new ArgumentException("A firmware version is required.", "firmwareVersion");
            }

            if (firmwareDigest == null || firmwareDigest.Length != ProvisioningLimits.DigestLength)
            {
                throw new ArgumentException("The firmware digest is a 32-byte SHA-256.", "firmwareDigest");
            }

            FirmwareVersion = firmwareVersion;
            _firmwareDigest = new byte[firmwareDigest.Length];
            Array.Copy(firmwareDigest, _firmwareDigest, firmwareDigest.Length);
            SecureBoot = secureBoot;
            FlashEncryption = flashEncryption;
            DebugPortsDisabled = debugPortsDisabled;
            ReworkMode = reworkMode;
        }

        /// <summary>The running firmware's version.</summary>
        public string FirmwareVersion { get; private set; }

        /// <summary>Secure boot enabled?</summary>
        public HardeningState SecureBoot { get; private set; }

        /// <summary>Flash encryption enabled?</summary>
        public HardeningState FlashEncryption { get; private set; }

        /// <summary>Debug ports disabled?</summary>
        public HardeningState DebugPortsDisabled { get; private set; }

        /// <summary>The rework strap was held at this boot: a locked device then accepts a factory reset.</summary>
        public bool ReworkMode { get; private set; }

        /// <summary>SHA-256 of the running firmware image.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetFirmwareDigest()
        {
            byte[] copy = new byte[_firmwareDigest.Length];
            Array.Copy(_firmwareDigest, copy, copy.Length);
            return copy;
        }

        /// <summary>
        /// The hardware id as the console reports it: the platform's id bytes in upper-case hex
        /// (an ESP32's MAC "246F28A1B2C4", an STM32's 96-bit unique id as 24 digits).
        /// </summary>
        /// <param name="hardwareId">The platform's id bytes (1 to 32).</param>
        /// <returns>The text.</returns>
        public static string FormatHardwareId(byte[] hardwareId)
        {
            if (hardwareId == null || hardwareId.Length == 0 || hardwareId.Length > ProvisioningLimits.MaxIdentifierLength / 2)
            {
                throw new ArgumentException("A hardware id is 1 to 32 bytes.", "hardwareId");
            }

            const string Digits = "0123456789ABCDEF";
            char[] text = new char[hardwareId.Length * 2];
            for (int i = 0; i < hardwareId.Length; i++)
            {
                text[2 * i] = Digits[hardwareId[i] >> 4];
                text[(2 * i) + 1] = Digits[hardwareId[i] & 0x0F];
            }

            return new string(text);
        }
    }
}
