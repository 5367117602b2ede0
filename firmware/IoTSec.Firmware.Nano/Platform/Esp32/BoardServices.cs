using System;
using System.Net.NetworkInformation;
using System.Threading;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Firmware.Platform;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// What differs on the ESP32 family: pin multiplexing, the hardware id and Wi-Fi. Compiled
    /// only into the ESP32 build (BoardFamily=Esp32 in the .nfproj), because a nanoFramework
    /// image refuses to load an assembly whose native part it lacks: an ESP32 image has no
    /// nanoFramework.Hardware.Stm32, an STM32 image no System.Device.Wifi.
    /// </summary>
    internal static class BoardServices
    {
        /// <summary>
        /// The ESP32's stand-in for a chip id: the MAC of its first network interface
        /// (nanoFramework exposes no eFuse chip-id API). Reported, never trusted.
        /// </summary>
        internal static byte[] HardwareId()
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            if (interfaces.Length == 0 || interfaces[0].PhysicalAddress == null)
            {
                throw new InvalidOperationException("The board reports no network interface to take a hardware id from.");
            }

            return interfaces[0].PhysicalAddress;
        }

        /// <summary>
        /// Routes the console UART to the board's pins: the ESP32 can put any UART on (almost)
        /// any GPIO, so nanoFramework asks the application to choose before the port opens.
        /// </summary>
        internal static void MapConsole(NanoBoard board)
        {
            if (board.ConsolePort != "COM2" || board.ConsoleTxGpio < 0 || board.ConsoleRxGpio < 0)
            {
                throw new ArgumentException("The ESP32 console is COM2 with both pins named; the board table says " + board.ConsolePort + ".", "board");
            }

            Configuration.SetPinFunction(board.ConsoleTxGpio, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(board.ConsoleRxGpio, DeviceFunction.COM2_RX);
        }

        /// <summary>
        /// Joins the provisioned Wi-Fi network with DHCP. No SNTP (requiresDateTime false):
        /// unauthenticated time is never used; the gateway's acknowledged time is.
        /// </summary>
        /// <exception cref="NetworkException">Not joined within <paramref name="timeoutMs"/>.</exception>
        internal static void ConnectNetwork(string ssid, string password, int timeoutMs)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            bool joined = WifiNetworkHelper.ConnectDhcp(ssid, password, System.Device.Wifi.WifiReconnectionKind.Automatic, false, 0, timeout.Token);
            if (!joined)
            {
                // The status names the step that failed; the SSID is not a secret, the password is never logged.
                throw new NetworkException("Could not join Wi-Fi network '" + ssid + "': " + WifiNetworkHelper.Status.ToString() + ".");
            }
        }
    }
}
