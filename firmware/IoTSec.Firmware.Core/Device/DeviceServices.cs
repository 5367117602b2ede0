using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Console;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// What a device layer hands the <see cref="DeviceRuntime"/>: storage, clock, board,
    /// network and the provisioning console port. One instance per boot (the desktop layer
    /// builds a fresh one after every in-process reboot; hardware boots once).
    /// </summary>
    public sealed class DeviceServices
    {
        /// <summary>Collects the device layer's services.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="platform">Board identity, randomness, digests and restart.</param>
        /// <param name="clock">Milliseconds since boot and sleeping.</param>
        /// <param name="channels">Mutual TLS connections (EST, OTA downloads).</param>
        /// <param name="mqtt">The broker session.</param>
        /// <param name="log">The diagnostic log.</param>
        /// <param name="facts">What the running firmware reports about itself over the console and, before any OTA install, in heartbeats.</param>
        /// <param name="console">The provisioning console's port, or null when the device has none wired.</param>
        public DeviceServices(IFlashStore flash, IDevicePlatform platform, IDeviceClock clock, ISecureChannelFactory channels, IMqttLink mqtt, IDeviceLog log, ProvisioningDeviceFacts facts, IByteChannel console)
        {
            if (flash == null) { throw new ArgumentNullException("flash"); }
            if (platform == null) { throw new ArgumentNullException("platform"); }
            if (clock == null) { throw new ArgumentNullException("clock"); }
            if (channels == null) { throw new ArgumentNullException("channels"); }
            if (mqtt == null) { throw new ArgumentNullException("mqtt"); }
            if (log == null) { throw new ArgumentNullException("log"); }
            if (facts == null) { throw new ArgumentNullException("facts"); }
            Flash = flash;
            Platform = platform;
            Clock = clock;
            Channels = channels;
            Mqtt = mqtt;
            Log = log;
            Facts = facts;
            Console = console;
        }

        /// <summary>The device's flash.</summary>
        public IFlashStore Flash { get; private set; }

        /// <summary>Board identity, randomness, digests and restart.</summary>
        public IDevicePlatform Platform { get; private set; }

        /// <summary>Milliseconds since boot and sleeping.</summary>
        public IDeviceClock Clock { get; private set; }

        /// <summary>Mutual TLS connections (EST, OTA downloads).</summary>
        public ISecureChannelFactory Channels { get; private set; }

        /// <summary>The broker session.</summary>
        public IMqttLink Mqtt { get; private set; }

        /// <summary>The diagnostic log.</summary>
        public IDeviceLog Log { get; private set; }

        /// <summary>The running firmware's facts (version, digest, hardening).</summary>
        public ProvisioningDeviceFacts Facts { get; private set; }

        /// <summary>The provisioning console's port; null: no console this boot.</summary>
        public IByteChannel Console { get; private set; }
    }
}
