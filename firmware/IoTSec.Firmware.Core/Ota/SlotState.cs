using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// The persisted A/B flags, kept in ONE record (<see cref="RecordName"/>) so that every
    /// decision changes them in one atomic write: the confirmed (active) slot and its image,
    /// the pending slot and its image, the trial attempts left, whether the last boot was a
    /// trial boot, whether the last update was reverted, the anti-rollback security counter
    /// and the last OTA refusal code.
    /// </summary>
    /// <remarks>
    /// The security counter lives in the same record as the slot flags on purpose: confirming
    /// a trial image moves the active slot and advances the counter in one write, so a power
    /// cut can never leave a counter that has passed the image the device falls back to
    /// (docs/adr/0012-firmware-ab-slots.md).
    /// <para>
    /// Layout (big-endian): format (1) | active slot (0, 1, 0xFF none) | pending slot
    /// (0, 1, 0xFF none) | trial attempts left | flags (bit 0 trial booted, bit 1 update
    /// reverted) | security counter (u64) | last refusal (u32) | active image, when present |
    /// pending image, when present. An image: sequence (u64) | size (u32) | SHA-256 (32) |
    /// version length (u8) | version (ASCII).
    /// </para>
    /// </remarks>
    public sealed class SlotState
    {
        /// <summary>The record holding the state.</summary>
        public const string RecordName = "ota-state";

        private const byte FormatVersion = 1;
        private const byte NoSlot = 0xFF;
        private const int FixedLength = 17;

        /// <summary>An empty state: no image installed.</summary>
        public SlotState()
        {
        }

        /// <summary>The confirmed image's slot; meaningful when <see cref="ActiveImage"/> is not null.</summary>
        public FirmwareSlot ActiveSlot { get; internal set; }

        /// <summary>The confirmed image, or null when none is installed.</summary>
        public InstalledImage ActiveImage { get; internal set; }

        /// <summary>The slot holding a verified, unconfirmed image; meaningful when <see cref="PendingImage"/> is not null.</summary>
        public FirmwareSlot PendingSlot { get; internal set; }

        /// <summary>The verified, unconfirmed image, or null when none.</summary>
        public InstalledImage PendingImage { get; internal set; }

        /// <summary>Trial boots the pending image has left.</summary>
        public int TrialAttemptsLeft { get; internal set; }

        /// <summary>True when the boot selector started the pending image as a trial on the latest boot.</summary>
        public bool TrialBooted { get; internal set; }

        /// <summary>True when the last update failed its trial boot and the active image was restored.</summary>
        public bool UpdateReverted { get; internal set; }

        /// <summary>The anti-rollback counter: the sequence number of the last confirmed manifest.</summary>
        public ulong SecurityCounter { get; internal set; }

        /// <summary>The last OTA refusal, a <see cref="RefusalCode"/> (sticky until the next refusal).</summary>
        public uint LastRefusal { get; internal set; }

        /// <summary>True when a trial image is running now (it must confirm, or it is reverted).</summary>
        public bool TrialRunning
        {
            get { return PendingImage != null && TrialBooted; }
        }

        /// <summary>Reads the state; null when none was ever written (no image installed).</summary>
        /// <param name="flash">The device's flash.</param>
        /// <returns>The state, or null.</returns>
        /// <exception cref="FlashException">The record holds bytes this firmware cannot read.</exception>
        public static SlotState Read(IFlashStore flash)
        {
            byte[] payload = new RecordStore(flash, RecordName).Read();
            if (payload == null)
            {
                return null;
            }

            SlotState state = Decode(payload);
            if (state == null)
            {
                throw new FlashException("the record " + RecordName + " holds " + payload.Length.ToString() + " bytes this firmware cannot read");
            }

            return state;
        }

        /// <summary>Writes the state (one atomic record write).</summary>
        /// <param name="flash">The device's flash.</param>
        public void Write(IFlashStore flash)
        {
            new RecordStore(flash, RecordName).Write(Encode());
        }

        /// <summary>A copy to change and write.</summary>
        /// <returns>The copy.</returns>
        public SlotState Clone()
        {
            SlotState copy = new SlotState();
            copy.ActiveSlot = ActiveSlot;
            copy.ActiveImage = ActiveImage;
            copy.PendingSlot = PendingSlot;
            copy.PendingImage = PendingImage;
            copy.TrialAttemptsLeft = TrialAttemptsLeft;
            copy.TrialBooted = TrialBooted;
            copy.UpdateReverted = UpdateReverted;
            copy.SecurityCounter = SecurityCounter;
            copy.LastRefusal = LastRefusal;
            return copy;
        }

        internal byte[] Encode()
        {
            int length = FixedLength + (ActiveImage == null ? 0 : ActiveImage.EncodedLength) + (PendingImage == null ? 0 : PendingImage.EncodedLength);
            byte[] buffer = new byte[length];
            buffer[0] = FormatVersion;
            buffer[1] = ActiveImage == null ? NoSlot : (byte)ActiveSlot;
            buffer[2] = PendingImage == null ? NoSlot : (byte)PendingSlot;
            buffer[3] = (byte)(TrialAttemptsLeft < 0 ? 0 : (TrialAttemptsLeft > 255 ? 255 : TrialAttemptsLeft));
            buffer[4] = (byte)((TrialBooted ? 1 : 0) | (UpdateReverted ? 2 : 0));
            BigEndian.PutUInt64(buffer, 5, SecurityCounter);
            BigEndian.PutUInt32(buffer, 13, LastRefusal);
            int offset = FixedLength;
            if (ActiveImage != null)
            {
                offset = ActiveImage.Encode(buffer, offset);
            }

            if (PendingImage != null)
            {
                PendingImage.Encode(buffer, offset);
            }

            return buffer;
        }

        internal static SlotState Decode(byte[] payload)
        {
            if (payload.Length < FixedLength || payload[0] != FormatVersion || !IsSlotByte(payload[1]) || !IsSlotByte(payload[2]) || (payload[4] & 0xFC) != 0)
            {
                return null;
            }

            SlotState state = new SlotState();
            state.TrialAttemptsLeft = payload[3];
            state.TrialBooted = (payload[4] & 1) != 0;
            state.UpdateReverted = (payload[4] & 2) != 0;
            state.SecurityCounter = BigEndian.GetUInt64(payload, 5);
            state.LastRefusal = BigEndian.GetUInt32(payload, 13);
            int offset = FixedLength;
            if (payload[1] != NoSlot)
            {
                state.ActiveSlot = (FirmwareSlot)payload[1];
                state.ActiveImage = InstalledImage.Decode(payload, offset, out offset);
                if (state.ActiveImage == null)
                {
                    return null;
                }
            }

            if (payload[2] != NoSlot)
            {
                state.PendingSlot = (FirmwareSlot)payload[2];
                state.PendingImage = InstalledImage.Decode(payload, offset, out offset);
                if (state.PendingImage == null || (state.ActiveImage != null && state.PendingSlot == state.ActiveSlot))
                {
                    return null;
                }
            }

            return offset == payload.Length ? state : null;
        }

        private static bool IsSlotByte(byte value)
        {
            return value == 0 || value == 1 || value == NoSlot;
        }
    }
}
