using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device's answer to Hello: <c>{ 1: "IoTSec", 2: version, 3: hardware id }</c>
    /// (docs/protocols/console.md). The magic lets the tool's port scan tell an IoTSec device
    /// from anything else that happens to answer on a serial port; the hardware id lets it
    /// list which device sits on which port without another request.
    /// </summary>
    public sealed class HelloResponse
    {
        /// <summary>The magic every IoTSec device answers with (key 1).</summary>
        public const string Magic = "IoTSec";

        /// <summary>Highest payload version number that can be expressed (versions are 1 to 255).</summary>
        public const int MaxProtocolVersion = 255;

        private const int KeyMagic = 1;
        private const int KeyVersion = 2;
        private const int KeyHardwareId = 3;

        /// <summary>Creates the answer.</summary>
        /// <param name="protocolVersion">The payload version the device will speak in this session (1 to 255).</param>
        /// <param name="hardwareId">The device's hardware id (as in <see cref="DeviceInfo.HardwareId"/>).</param>
        /// <exception cref="ProvisioningPayloadException">A value is out of range.</exception>
        public HelloResponse(int protocolVersion, string hardwareId)
        {
            if (protocolVersion < 1 || protocolVersion > MaxProtocolVersion)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "protocol version " + protocolVersion.ToString() + " is outside 1 to 255");
            }

            ProvisioningText.CheckIdentifier(hardwareId, "hardware id");
            ProtocolVersion = protocolVersion;
            HardwareId = hardwareId;
        }

        /// <summary>The payload version the device will speak (the lower of the tool's and its own highest).</summary>
        public int ProtocolVersion { get; }

        /// <summary>The device's hardware id.</summary>
        public string HardwareId { get; }

        /// <summary>Encodes the answer.</summary>
        /// <returns>The payload bytes.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(32);
            writer.WriteStartMap(3);
            writer.WriteUInt64(KeyMagic);
            writer.WriteTextString(Magic);
            writer.WriteUInt64(KeyVersion);
            writer.WriteUInt64((ulong)ProtocolVersion);
            writer.WriteUInt64(KeyHardwareId);
            writer.WriteTextString(HardwareId);
            return writer.Encode();
        }

        /// <summary>Decodes the answer (tool side). Keys a newer device adds are skipped.</summary>
        /// <param name="payload">The response payload.</param>
        /// <returns>The answer.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed, or <see cref="ProvisioningPayloadError.BadMagic"/> when the magic is not "IoTSec".</exception>
        public static HelloResponse Decode(byte[] payload)
        {
            var reader = new PayloadReader(payload, "Hello answer");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            string magic = string.Empty;
            int version = 0;
            string hardwareId = string.Empty;
            for (int i = 0; i < pairs; i++)
            {
                switch (reader.ReadKey())
                {
                    case KeyMagic:
                        magic = reader.ReadText("magic");
                        break;
                    case KeyVersion:
                        version = reader.ReadInt("protocol version", 1, MaxProtocolVersion);
                        break;
                    case KeyHardwareId:
                        hardwareId = reader.ReadText("hardware id");
                        break;
                    default:
                        reader.SkipValue();
                        break;
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();

            // The magic is checked first: anything else answering on a serial port is simply
            // not an IoTSec device, whatever else its answer holds.
            if (!string.Equals(magic, Magic))
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.BadMagic, "Hello answer does not carry the IoTSec magic: not an IoTSec device");
            }

            reader.RequireKeys((1u << KeyMagic) | (1u << KeyVersion) | (1u << KeyHardwareId));
            return new HelloResponse(version, hardwareId);
        }
    }
}
