using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// The board's services the core needs besides storage, clock and network: identity,
    /// randomness, digests and restart.
    /// </summary>
    public interface IDevicePlatform
    {
        /// <summary>
        /// The hardware's unique id, as bytes (STM32 UID registers; an ESP32's first MAC
        /// address). Reported over the console; not a secret.
        /// </summary>
        byte[] HardwareId { get; }

        /// <summary>The board's name (for example "esp32-devkitc"), as its profile in hardware/boards names it.</summary>
        string BoardName { get; }

        /// <summary>Fills <paramref name="buffer"/> with bytes from the hardware random source.</summary>
        /// <param name="buffer">Receives the random bytes.</param>
        void GetRandomBytes(byte[] buffer);

        /// <summary>SHA-256 and HMAC: the native implementation where the firmware image has one, else the portable one.</summary>
        IDigestProvider Digests { get; }

        /// <summary>
        /// Restarts the device. On hardware this does not return; the desktop layer throws
        /// <see cref="DeviceRebootException"/> so its runner can boot the device again from flash.
        /// </summary>
        void Reboot();
    }
}
