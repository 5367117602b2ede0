#if NET
// The firmware tests compile this file with nullable checks on (to compare it with the JSON
// profiles); the device's compiler has no nullable context.
#nullable disable
#endif

namespace IoTSec.Firmware.Nano.Boards
{
    /// <summary>
    /// The supported boards, one entry per profile in hardware/boards. The device finds its own
    /// entry by the nanoFramework target name it was flashed with; an unknown target is refused
    /// at boot rather than guessed (pins and storage differ, and a wrong guess could drive a pin
    /// the board uses for its flash).
    /// </summary>
    public static class NanoBoards
    {
        /// <summary>ESP32-DevKitC-VE (WROVER-E, 8 MB flash, 8 MB PSRAM): hardware/boards/esp32-devkitc.json.</summary>
        public static readonly NanoBoard Esp32DevKitC = new NanoBoard(
            "esp32-devkitc",
            "ESP32_PSRAM_REV3",
            "I:\\",
            2097152,
            "COM2",
            33,
            32,
            115200,
            655360,
            true);

        /// <summary>STM32F769I-DISCO with a microSD card: hardware/boards/stm32f769i-disco.json.</summary>
        /// <remarks>USART6's pins (PC6, PC7) are fixed by the nanoCLR target, so nothing is mapped at run time.</remarks>
        public static readonly NanoBoard Stm32F769IDisco = new NanoBoard(
            "stm32f769i-disco",
            "ST_STM32F769I_DISCOVERY",
            "D:\\",
            1073741824,
            "COM6",
            -1,
            -1,
            115200,
            2097152,
            false);

        /// <summary>Every supported board.</summary>
        public static NanoBoard[] All
        {
            get { return new NanoBoard[] { Esp32DevKitC, Stm32F769IDisco }; }
        }

        /// <summary>The board flashed with <paramref name="targetName"/>, or null when it is not supported.</summary>
        /// <param name="targetName">The nanoFramework target name (<c>SystemInfo.TargetName</c>).</param>
        /// <returns>The board, or null.</returns>
        public static NanoBoard FindByTarget(string targetName)
        {
            NanoBoard[] all = All;
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].TargetName == targetName)
                {
                    return all[i];
                }
            }

            return null;
        }
    }
}
