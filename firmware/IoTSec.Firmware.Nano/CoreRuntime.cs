using System;
using IoTSec.Firmware.Device;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// Where the firmware core's <see cref="DeviceRuntime"/> (lifecycle, provisioning console,
    /// enrolment, heartbeats, commands, OTA: docs/firmware/device-runtime.md) is handed the
    /// nanoFramework device layer. The same runtime runs in the desktop simulator
    /// (<c>iotsec-device</c>), where it is tested.
    /// </summary>
    /// <remarks>
    /// Not built here (no nanoFramework toolchain on the build machine): the calls below are
    /// the core's own, and the device layer's types are this project's.
    /// </remarks>
    internal static class CoreRuntime
    {
        private const int NetworkTimeoutMs = 60000;

        internal static void Run(NanoDevice device)
        {
            ProvisioningDeviceFacts facts = Facts(device);
            JoinNetwork(device);
            NanoSerialChannel console = device.OpenConsole();
            try
            {
                DeviceRuntimeSettings settings = new DeviceRuntimeSettings();
                settings.SlotCapacity = device.Board.SlotBytes;
                DeviceServices services = new DeviceServices(device.Flash, device.Platform, device.Clock, device.SecureChannels, device.Mqtt, device.Log, facts, console);
                new DeviceRuntime(services, settings).Run();
            }
            catch (DeviceRebootException e)
            {
                // The runtime asks for a restart (safe-mode hold over, a console command, a
                // reverted trial): on hardware that is a reset, and the loader boots again.
                device.Log.Write("restart: " + e.Message);
            }
            finally
            {
                console.Dispose();
            }

            device.Platform.Reboot();
        }

        private static void JoinNetwork(NanoDevice device)
        {
            // Wi-Fi credentials are not in console payload version 1 (docs/firmware/console.md):
            // an ESP32 joins with the network configuration nanoFramework stored (nanoff or
            // Device Explorer), an Ethernet board here. A failure is logged, not fatal: the
            // runtime's EST and MQTT backoff keep trying while the network comes up.
            if (device.Board.UsesWifi)
            {
                device.Log.Write("network: Wi-Fi from the stored nanoFramework configuration");
                return;
            }

            try
            {
                device.ConnectNetwork(null, null, NetworkTimeoutMs);
            }
            catch (NetworkException e)
            {
                device.Log.Write("network: " + e.Message);
            }
        }

        private static ProvisioningDeviceFacts Facts(NanoDevice device)
        {
            // The image the loader booted (slot state written by FactoryImage or an OTA
            // confirm): its version and digest are what the console and heartbeats report.
            BootDecision boot = BootSelector.Decide(device.Flash);
            string version = boot.HasImage ? boot.Image.Version : "0.0.0";
            byte[] digest = boot.HasImage ? boot.Image.GetDigest() : new byte[32];

            // The board layer does not read the eFuses / option bytes yet: Unknown, never a claim.
            return new ProvisioningDeviceFacts(version, digest, HardeningState.Unknown, HardeningState.Unknown, HardeningState.Unknown, false);
        }
    }
}
