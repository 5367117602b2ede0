using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// What a heartbeat reports about the running firmware and the board, read fresh for every
    /// heartbeat. The integration implements it over the OTA area (slot, digest, trial boot,
    /// refusals) and the board (debug port, secure boot, flash encryption, console lock).
    /// </summary>
    public interface IHeartbeatStatusSource
    {
        /// <summary>The running firmware's version (1-64 printable ASCII characters, no space).</summary>
        string FirmwareVersion { get; }

        /// <summary>SHA-256 of the active image as stored in its slot (32 bytes).</summary>
        byte[] FirmwareDigest { get; }

        /// <summary>The slot the device booted from.</summary>
        FirmwareSlot ActiveSlot { get; }

        /// <summary>SHA-256 of the active configuration (32 bytes).</summary>
        byte[] ConfigurationDigest { get; }

        /// <summary>
        /// The board's and the OTA area's posture flags (debug port, secure boot, flash
        /// encryption, console unlocked, trial boot pending, update reverted). The heartbeat
        /// agent adds <see cref="PostureFlags.ClockUnsynchronised"/> and
        /// <see cref="PostureFlags.StorageDegraded"/> itself.
        /// </summary>
        PostureFlags PostureFlags { get; }

        /// <summary>
        /// The OTA area's last refusal code (<see cref="RefusalCode"/>, 0 for none). A change to
        /// a non-zero value becomes the heartbeat's last refusal, unless something else was
        /// refused later.
        /// </summary>
        uint LastOtaRefusal { get; }
    }
}
