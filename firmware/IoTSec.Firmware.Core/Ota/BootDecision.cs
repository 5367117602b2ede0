using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>The boot selector's answer: which slot to run (already verified), and why.</summary>
    public sealed class BootDecision
    {
        internal BootDecision(BootAction action, FirmwareSlot slot, InstalledImage image, int row, string reason)
        {
            Action = action;
            Slot = slot;
            Image = image;
            Row = row;
            Reason = reason;
        }

        /// <summary>What to do.</summary>
        public BootAction Action { get; private set; }

        /// <summary>The slot to run; meaningful unless <see cref="Action"/> is <see cref="BootAction.NoImage"/>.</summary>
        public FirmwareSlot Slot { get; private set; }

        /// <summary>The image to run (its size and SHA-256 were checked against the slot just now), or null for <see cref="BootAction.NoImage"/>.</summary>
        public InstalledImage Image { get; private set; }

        /// <summary>The table row that decided (1-based, as in docs/firmware/ota-ab.md).</summary>
        public int Row { get; private set; }

        /// <summary>Why, for the log.</summary>
        public string Reason { get; private set; }

        /// <summary>True when an application is to be started.</summary>
        public bool HasImage
        {
            get { return Action != BootAction.NoImage; }
        }

        /// <summary>The file holding the image to run (<see cref="SlotNames"/>); null for <see cref="BootAction.NoImage"/>.</summary>
        public string SlotFile
        {
            get { return HasImage ? SlotNames.FileOf(Slot) : null; }
        }
    }
}
