namespace IoTSec.Firmware.Nano.Boards
{
    /// <summary>
    /// What the device layer needs to know about the board it runs on, copied from its profile
    /// in hardware/boards/&lt;name&gt;.json (a desktop test checks that the two agree).
    /// </summary>
    /// <remarks>
    /// Plain C# on purpose: the firmware test project compiles this file too, so a profile and
    /// the device's table cannot drift apart unnoticed.
    /// </remarks>
    public sealed class NanoBoard
    {
        /// <summary>Creates a board description.</summary>
        /// <param name="name">Profile name, for example "esp32-devkitc".</param>
        /// <param name="targetName">The nanoFramework target, as <c>SystemInfo.TargetName</c> reports it and nanoff's --target takes it.</param>
        /// <param name="storageRoot">Drive the firmware keeps its files on, for example <c>I:\</c>.</param>
        /// <param name="storageBytes">Bytes of that drive the firmware may use (its <see cref="IoTSec.Firmware.Platform.IFlashStore.FreeBytes"/> budget).</param>
        /// <param name="consolePort">Serial port of the provisioning console (never COM1, the debugger's).</param>
        /// <param name="consoleTxGpio">Console TX pin to map, or -1 where the firmware fixes the pins.</param>
        /// <param name="consoleRxGpio">Console RX pin to map, or -1 where the firmware fixes the pins.</param>
        /// <param name="consoleBaud">Console bit rate.</param>
        /// <param name="slotBytes">Largest application bundle one A/B slot may hold.</param>
        /// <param name="usesWifi">True for a Wi-Fi board, false for Ethernet.</param>
        public NanoBoard(string name, string targetName, string storageRoot, long storageBytes, string consolePort, int consoleTxGpio, int consoleRxGpio, int consoleBaud, long slotBytes, bool usesWifi)
        {
            Name = name;
            TargetName = targetName;
            StorageRoot = storageRoot;
            StorageBytes = storageBytes;
            ConsolePort = consolePort;
            ConsoleTxGpio = consoleTxGpio;
            ConsoleRxGpio = consoleRxGpio;
            ConsoleBaud = consoleBaud;
            SlotBytes = slotBytes;
            UsesWifi = usesWifi;
        }

        /// <summary>Profile name, as <see cref="IoTSec.Firmware.Platform.IDevicePlatform.BoardName"/> reports it.</summary>
        public string Name { get; private set; }

        /// <summary>The nanoFramework target name.</summary>
        public string TargetName { get; private set; }

        /// <summary>Drive of the firmware's files.</summary>
        public string StorageRoot { get; private set; }

        /// <summary>Bytes of the drive the firmware may use.</summary>
        public long StorageBytes { get; private set; }

        /// <summary>Serial port of the provisioning console.</summary>
        public string ConsolePort { get; private set; }

        /// <summary>Console TX GPIO to map with <c>Configuration.SetPinFunction</c>, or -1.</summary>
        public int ConsoleTxGpio { get; private set; }

        /// <summary>Console RX GPIO to map, or -1.</summary>
        public int ConsoleRxGpio { get; private set; }

        /// <summary>Console bit rate.</summary>
        public int ConsoleBaud { get; private set; }

        /// <summary>Largest bundle a slot holds.</summary>
        public long SlotBytes { get; private set; }

        /// <summary>Wi-Fi (true) or Ethernet (false).</summary>
        public bool UsesWifi { get; private set; }
    }
}
