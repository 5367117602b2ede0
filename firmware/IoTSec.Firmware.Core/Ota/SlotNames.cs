using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>The two application slots as files of the device's flash.</summary>
    public static class SlotNames
    {
        /// <summary>Slot A's image file.</summary>
        public const string SlotA = "slot-a.bin";

        /// <summary>Slot B's image file.</summary>
        public const string SlotB = "slot-b.bin";

        /// <summary>The file holding <paramref name="slot"/>'s image.</summary>
        /// <param name="slot">A slot.</param>
        /// <returns>Its file name.</returns>
        public static string FileOf(FirmwareSlot slot)
        {
            return slot == FirmwareSlot.B ? SlotB : SlotA;
        }

        /// <summary>The other slot.</summary>
        /// <param name="slot">A slot.</param>
        /// <returns>B for A, A for B.</returns>
        public static FirmwareSlot Other(FirmwareSlot slot)
        {
            return slot == FirmwareSlot.B ? FirmwareSlot.A : FirmwareSlot.B;
        }

        /// <summary>"A" or "B", for logs.</summary>
        /// <param name="slot">A slot.</param>
        /// <returns>The letter.</returns>
        public static string NameOf(FirmwareSlot slot)
        {
            return slot == FirmwareSlot.B ? "B" : "A";
        }
    }
}
