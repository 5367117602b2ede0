using System;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;
using nanoFramework.Runtime.Native;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// Identity, randomness, digests and restart on a nanoFramework board.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Hardware id: the STM32's 96-bit unique device id
    /// (<c>nanoFramework.Hardware.Stm32.Utilities.UniqueDeviceId</c>); the ESP32 has no chip-id API in
    /// nanoFramework, so its first network interface's MAC stands in (reported, never trusted:
    /// a MAC can be rewritten through <c>NetworkInterface.PhysicalAddress</c>).</item>
    /// <item>Random bytes: <c>System.Random.NextBytes</c>, which nanoCLR serves from the chip's
    /// hardware generator on both families (the ESP32's RNG is true random only while the radio
    /// or the bootloader's entropy source runs).</item>
    /// <item>Digests: the portable SHA-256 and HMAC. The native <c>HMACSHA256</c> of
    /// nanoFramework.System.Security.Cryptography exists only in some images and its source was
    /// not read for this layer, so it is not used (firmware/README.md).</item>
    /// </list>
    /// </remarks>
    public sealed class NanoPlatform : IDevicePlatform
    {
        private readonly NanoBoard _board;
        private readonly Random _random = new Random();
        private readonly byte[] _hardwareId;

        /// <summary>Creates the platform for <paramref name="board"/>.</summary>
        /// <param name="board">The board the firmware runs on.</param>
        public NanoPlatform(NanoBoard board)
        {
            if (board == null)
            {
                throw new ArgumentNullException("board");
            }

            _board = board;
            _hardwareId = BoardServices.HardwareId();
        }

        /// <inheritdoc />
        public byte[] HardwareId
        {
            get
            {
                byte[] copy = new byte[_hardwareId.Length];
                Array.Copy(_hardwareId, copy, copy.Length);
                return copy;
            }
        }

        /// <inheritdoc />
        public string BoardName
        {
            get { return _board.Name; }
        }

        /// <inheritdoc />
        public IDigestProvider Digests
        {
            get { return PortableDigests.Instance; }
        }

        /// <inheritdoc />
        public void GetRandomBytes(byte[] buffer)
        {
            _random.NextBytes(buffer);
        }

        /// <inheritdoc />
        public void Reboot()
        {
            // Does not return. Handlers of Power.OnRebootEvent (none registered by us) would run first.
            Power.RebootDevice();
        }
    }
}
