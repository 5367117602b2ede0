using System;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Firmware.Platform;
using nanoFramework.Runtime.Native;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The nanoFramework device layer, composed once per boot: every platform interface of the
    /// firmware core implemented for the board this image runs on. The loader and the
    /// application both start here; all logic lives in the core.
    /// </summary>
    public sealed class NanoDevice
    {
        /// <summary>How long a publish waits for the broker's PUBACK.</summary>
        public const int MqttAckTimeoutMs = 10000;

        private NanoDevice(NanoBoard board)
        {
            Board = board;
            Log = new DebugLog();
            Clock = new NanoClock();
            Flash = new NanoFlashStore(board.StorageRoot, board.StorageBytes);
            Platform = new NanoPlatform(board);
            SecureChannels = new NanoSecureChannelFactory();
            Mqtt = new NanoMqttLink(MqttAckTimeoutMs);
        }

        /// <summary>The board table entry of this device.</summary>
        public NanoBoard Board { get; private set; }

        /// <summary>The device log.</summary>
        public IDeviceLog Log { get; private set; }

        /// <summary>The monotonic clock.</summary>
        public IDeviceClock Clock { get; private set; }

        /// <summary>Files on the board's drive.</summary>
        public IFlashStore Flash { get; private set; }

        /// <summary>Identity, randomness, digests, restart.</summary>
        public IDevicePlatform Platform { get; private set; }

        /// <summary>Mutual-TLS connections to the gateway.</summary>
        public ISecureChannelFactory SecureChannels { get; private set; }

        /// <summary>The MQTT session with the gateway broker.</summary>
        public IMqttLink Mqtt { get; private set; }

        /// <summary>
        /// Composes the layer for the board nanoCLR reports. An image on a board the table does
        /// not know is refused: pins and storage differ, and a guess could drive a pin the board
        /// uses for its flash.
        /// </summary>
        /// <returns>The composed device layer.</returns>
        /// <exception cref="NotSupportedException">The target is not in <see cref="NanoBoards"/>.</exception>
        public static NanoDevice ForThisBoard()
        {
            string target = SystemInfo.TargetName;
            NanoBoard board = NanoBoards.FindByTarget(target);
            if (board == null)
            {
                throw new NotSupportedException("No board profile for nanoFramework target '" + target + "' (see hardware/boards).");
            }

            return new NanoDevice(board);
        }

        /// <summary>Opens the provisioning console's UART.</summary>
        /// <returns>The console channel; the caller disposes it.</returns>
        public NanoSerialChannel OpenConsole()
        {
            return new NanoSerialChannel(Board);
        }

        /// <summary>Joins the network (Wi-Fi with the provisioned credentials, or Ethernet).</summary>
        /// <param name="wifiSsid">The provisioned SSID (ignored on Ethernet boards).</param>
        /// <param name="wifiPassword">The provisioned password (ignored on Ethernet boards); never logged.</param>
        /// <param name="timeoutMs">Longest wait.</param>
        /// <exception cref="NetworkException">No network in time.</exception>
        public void ConnectNetwork(string wifiSsid, string wifiPassword, int timeoutMs)
        {
            BoardServices.ConnectNetwork(wifiSsid, wifiPassword, timeoutMs);
        }
    }
}
