using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device's answer to a write chunk: <c>{ 1: bytes received, 2: staged }</c>. The tool
    /// checks the count against what it sent, so a device that lost track shows at once.
    /// </summary>
    public sealed class WriteProgress
    {
        private const int KeyReceived = 1;
        private const int KeyStaged = 2;

        /// <summary>Creates the answer.</summary>
        /// <param name="received">Bytes of the item received so far (1 to 8192).</param>
        /// <param name="staged">True when this chunk completed the item and it is staged.</param>
        /// <exception cref="ProvisioningPayloadException">The count is out of range.</exception>
        public WriteProgress(int received, bool staged)
        {
            if (received < 1 || received > ProvisioningLimits.MaxTrustAnchorListLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "write progress " + received.ToString() + " is outside 1 to 8192");
            }

            Received = received;
            Staged = staged;
        }

        /// <summary>Bytes of the item received so far.</summary>
        public int Received { get; }

        /// <summary>True when the item is complete, valid and staged.</summary>
        public bool Staged { get; }

        /// <summary>Encodes the answer.</summary>
        /// <returns>The payload bytes.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(16);
            writer.WriteStartMap(2);
            writer.WriteUInt64(KeyReceived);
            writer.WriteUInt64((ulong)Received);
            writer.WriteUInt64(KeyStaged);
            writer.WriteBoolean(Staged);
            return writer.Encode();
        }

        /// <summary>Decodes the answer (tool side). Keys a newer device adds are skipped.</summary>
        /// <param name="payload">The response payload.</param>
        /// <returns>The answer.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed, a key missing, or a value out of range.</exception>
        public static WriteProgress Decode(byte[] payload)
        {
            var reader = new PayloadReader(payload, "write answer");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            int received = 0;
            bool staged = false;
            for (int i = 0; i < pairs; i++)
            {
                switch (reader.ReadKey())
                {
                    case KeyReceived: received = reader.ReadInt("received", 1, ProvisioningLimits.MaxTrustAnchorListLength); break;
                    case KeyStaged: staged = reader.ReadBool("staged"); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys((1u << KeyReceived) | (1u << KeyStaged));
            return new WriteProgress(received, staged);
        }
    }
}
