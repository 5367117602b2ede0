using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The configuration item: what a device needs to find and talk to its gateway
    /// (docs/protocols/console.md, <c>configuration</c>). Every field is required and range
    /// checked on both sides, so a typo is refused at the bench rather than discovered when
    /// the device fails to enrol in the field.
    /// </summary>
    public sealed class ProvisioningConfiguration
    {
        private const int KeyDeviceClass = 1;
        private const int KeyGatewayHost = 2;
        private const int KeyGatewayPort = 3;
        private const int KeyMqttPort = 4;
        private const int KeyHeartbeatInterval = 5;
        private const uint RequiredKeys = 0x3E; // keys 1 to 5

        /// <summary>Creates a configuration.</summary>
        /// <param name="deviceClass">The device class the gateway's policy is chosen by: 1 to 32 of a-z, 0-9, '-', '_', '.', starting with a letter or digit.</param>
        /// <param name="gatewayHost">The gateway's DNS name (what its TLS certificate names) or IPv4 address.</param>
        /// <param name="gatewayPort">The gateway's HTTPS port for EST enrolment and OTA downloads (1 to 65535).</param>
        /// <param name="mqttPort">The gateway broker's MQTT-over-TLS port (1 to 65535).</param>
        /// <param name="heartbeatIntervalSeconds">Seconds between heartbeats (10 to 86400).</param>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.OutOfRange"/> or <see cref="ProvisioningPayloadError.InvalidText"/>.</exception>
        public ProvisioningConfiguration(string deviceClass, string gatewayHost, int gatewayPort, int mqttPort, int heartbeatIntervalSeconds)
        {
            ProvisioningText.CheckDeviceClass(deviceClass);
            ProvisioningText.CheckHost(gatewayHost);
            CheckPort(gatewayPort, "gateway port");
            CheckPort(mqttPort, "MQTT port");
            if (heartbeatIntervalSeconds < ProvisioningLimits.MinHeartbeatIntervalSeconds || heartbeatIntervalSeconds > ProvisioningLimits.MaxHeartbeatIntervalSeconds)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.OutOfRange,
                    "heartbeat interval " + heartbeatIntervalSeconds.ToString() + " s is outside " + ProvisioningLimits.MinHeartbeatIntervalSeconds.ToString() + " to " + ProvisioningLimits.MaxHeartbeatIntervalSeconds.ToString() + " s");
            }

            DeviceClass = deviceClass;
            GatewayHost = gatewayHost;
            GatewayPort = gatewayPort;
            MqttPort = mqttPort;
            HeartbeatIntervalSeconds = heartbeatIntervalSeconds;
        }

        /// <summary>The device class.</summary>
        public string DeviceClass { get; }

        /// <summary>The gateway's host name or IPv4 address.</summary>
        public string GatewayHost { get; }

        /// <summary>The gateway's EST/OTA HTTPS port.</summary>
        public int GatewayPort { get; }

        /// <summary>The gateway broker's MQTT-over-TLS port.</summary>
        public int MqttPort { get; }

        /// <summary>Seconds between heartbeats.</summary>
        public int HeartbeatIntervalSeconds { get; }

        /// <summary>Encodes the item (deterministic CBOR).</summary>
        /// <returns>The item bytes.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(64 + GatewayHost.Length);
            writer.WriteStartMap(5);
            writer.WriteUInt64(KeyDeviceClass);
            writer.WriteTextString(DeviceClass);
            writer.WriteUInt64(KeyGatewayHost);
            writer.WriteTextString(GatewayHost);
            writer.WriteUInt64(KeyGatewayPort);
            writer.WriteUInt64((ulong)GatewayPort);
            writer.WriteUInt64(KeyMqttPort);
            writer.WriteUInt64((ulong)MqttPort);
            writer.WriteUInt64(KeyHeartbeatInterval);
            writer.WriteUInt64((ulong)HeartbeatIntervalSeconds);
            return writer.Encode();
        }

        /// <summary>Decodes and checks the item (strict: unknown keys refused).</summary>
        /// <param name="item">The reassembled item bytes.</param>
        /// <returns>The configuration.</returns>
        /// <exception cref="ProvisioningPayloadException">Any rule of the item broken.</exception>
        public static ProvisioningConfiguration Decode(byte[] item)
        {
            if (item == null || item.Length > ProvisioningLimits.MaxConfigurationLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, "configuration exceeds " + ProvisioningLimits.MaxConfigurationLength.ToString() + " bytes");
            }

            var reader = new PayloadReader(item, "configuration");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            string deviceClass = string.Empty;
            string host = string.Empty;
            int gatewayPort = 0;
            int mqttPort = 0;
            int heartbeat = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = reader.ReadKey();
                switch (key)
                {
                    case KeyDeviceClass: deviceClass = reader.ReadText("device class"); break;
                    case KeyGatewayHost: host = reader.ReadText("gateway host"); break;
                    case KeyGatewayPort: gatewayPort = reader.ReadInt("gateway port", 1, 65535); break;
                    case KeyMqttPort: mqttPort = reader.ReadInt("MQTT port", 1, 65535); break;
                    case KeyHeartbeatInterval:
                        heartbeat = reader.ReadInt("heartbeat interval", ProvisioningLimits.MinHeartbeatIntervalSeconds, ProvisioningLimits.MaxHeartbeatIntervalSeconds);
                        break;
                    default: throw reader.UnknownField(key);
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(RequiredKeys);
            return new ProvisioningConfiguration(deviceClass, host, gatewayPort, mqttPort, heartbeat);
        }

        private static void CheckPort(int port, string field)
        {
            if (port < 1 || port > 65535)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, field + " " + port.ToString() + " is outside 1 to 65535");
            }
        }
    }
}
