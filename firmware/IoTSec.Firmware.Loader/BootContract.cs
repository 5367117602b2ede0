using IoTSec.Firmware.Ota;

namespace IoTSec.Firmware.Loader
{
    /// <summary>
    /// The loader's one dependency on the shape of the boot table's answer, kept in one place:
    /// <see cref="BootSelector.Decide"/> returns a <see cref="BootDecision"/> naming the slot
    /// file to load (written by the OTA part of issue 7 in parallel with this loader).
    /// </summary>
    internal static class BootContract
    {
        internal static string SlotFileOf(BootDecision decision)
        {
            return decision.SlotFile;
        }
    }
}
