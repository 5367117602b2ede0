using System;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The posture bit set a heartbeat carries (key 11). Every set bit is something the
    /// gateway's posture policy must weigh; a device in its intended state sends 0.
    /// </summary>
    /// <remarks>
    /// Bits 8 to 31 are reserved. A decoder keeps bits it does not know (so a newer device
    /// can report more) and the gateway must treat an unknown set bit as an unknown
    /// weakness, i.e. fail closed: see <see cref="PostureFlagsInfo.Unknown"/>. The bit
    /// numbers are part of the wire contract: never renumber.
    /// </remarks>
    [Flags]
    public enum PostureFlags : uint
    {
        /// <summary>Nothing to report.</summary>
        None = 0,

        /// <summary>Bit 0: a debug port (JTAG, SWD) is enabled, so the flash can be read and the CPU halted.</summary>
        DebugPortOpen = 1u << 0,

        /// <summary>Bit 1: secure boot is off, so the boot loader runs any image.</summary>
        SecureBootOff = 1u << 1,

        /// <summary>Bit 2: flash encryption is off, so keys at rest can be read from a desoldered chip.</summary>
        FlashEncryptionOff = 1u << 2,

        /// <summary>Bit 3: the running image is on trial (not yet confirmed); it reverts on the next reset unless confirmed.</summary>
        TrialBootPending = 1u << 3,

        /// <summary>Bit 4: the device has no gateway time since it booted (no verified heartbeat acknowledgement yet).</summary>
        ClockUnsynchronised = 1u << 4,

        /// <summary>Bit 5: the provisioning console is not locked, so a serial cable can rewrite the identity.</summary>
        ConsoleUnlocked = 1u << 5,

        /// <summary>Bit 6: the last update failed its trial boot and the previous image was restored.</summary>
        UpdateReverted = 1u << 6,

        /// <summary>Bit 7: writes to persistent storage fail, so counters and the chain head may not survive a reset.</summary>
        StorageDegraded = 1u << 7,
    }

    /// <summary>Helpers over <see cref="PostureFlags"/>.</summary>
    public static class PostureFlagsInfo
    {
        /// <summary>The union of every flag defined in protocol version 1.</summary>
        public const PostureFlags Defined = (PostureFlags)0xFFu;

        /// <summary>The set bits that version 1 does not define (0 when none); the gateway treats any as non-compliant.</summary>
        /// <param name="flags">Flags from a heartbeat.</param>
        /// <returns>The unknown bits.</returns>
        public static PostureFlags Unknown(PostureFlags flags)
        {
            return (PostureFlags)((uint)flags & ~(uint)Defined);
        }
    }
}
