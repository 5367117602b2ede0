using System;
using System.Threading;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Firmware.Platform;
using nanoFramework.Hardware.Stm32;
using nanoFramework.Networking;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// What differs on the STM32 family: the hardware id, fixed UART pins and Ethernet.
    /// Compiled only into the STM32 build (BoardFamily=Stm32 in the .nfproj); see the ESP32
    /// counterpart for why the families are separate builds.
    /// </summary>
    internal static class BoardServices
    {
        /// <summary>The STM32's 96-bit factory-programmed unique device id.</summary>
        internal static byte[] HardwareId()
        {
            return Utilities.UniqueDeviceId;
        }

        /// <summary>Nothing to map: nanoCLR's target configuration fixes the UART pins.</summary>
        internal static void MapConsole(NanoBoard board)
        {
            if (board.ConsoleTxGpio >= 0 || board.ConsoleRxGpio >= 0)
            {
                throw new ArgumentException("STM32 console pins are fixed by the nanoCLR target; the board table must not name them.", "board");
            }
        }

        /// <summary>Waits for the Ethernet link and a DHCP lease (Wi-Fi credentials do not apply). No SNTP.</summary>
        /// <exception cref="NetworkException">No network within <paramref name="timeoutMs"/>.</exception>
        internal static void ConnectNetwork(string ssid, string password, int timeoutMs)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            if (!NetworkHelper.SetupAndConnectNetwork(timeout.Token, false))
            {
                throw new NetworkException("No Ethernet network: " + NetworkHelper.Status.ToString() + ".");
            }
        }
    }
}
