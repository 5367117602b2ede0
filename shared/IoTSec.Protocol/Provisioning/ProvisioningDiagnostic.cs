using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// What the device says when it refuses a provisioning command: the error frame's payload,
    /// <c>{ 1: message, ? 2: payload error, ? 3: missing items }</c> (docs/protocols/console.md,
    /// <c>diagnostic</c>). The message is for the technician's screen; the codes are for the
    /// tool's logic and metrics.
    /// </summary>
    public sealed class ProvisioningDiagnostic
    {
        private const int KeyMessage = 1;
        private const int KeyPayloadError = 2;
        private const int KeyMissing = 3;

        /// <summary>Creates a diagnostic.</summary>
        /// <param name="message">What was refused and why (cut to 200 characters; control and non-ASCII characters become '?').</param>
        /// <param name="payloadError">For a BadPayload refusal, the reason; otherwise <see cref="ProvisioningPayloadError.None"/>.</param>
        /// <param name="missing">For a NotStaged refusal of Commit, the items not staged; otherwise <see cref="StagedItems.None"/>.</param>
        public ProvisioningDiagnostic(string message, ProvisioningPayloadError payloadError, StagedItems missing)
        {
            Message = ProvisioningText.Printable(message == null ? string.Empty : message, ProvisioningLimits.MaxDiagnosticMessageLength);
            PayloadError = payloadError;
            Missing = (StagedItems)((int)missing & (int)StagedItems.All);
        }

        /// <summary>What was refused and why.</summary>
        public string Message { get; }

        /// <summary>The payload error, or <see cref="ProvisioningPayloadError.None"/>.</summary>
        public ProvisioningPayloadError PayloadError { get; }

        /// <summary>The items not staged, or <see cref="StagedItems.None"/>.</summary>
        public StagedItems Missing { get; }

        /// <summary>Encodes the diagnostic.</summary>
        /// <returns>The error frame's payload.</returns>
        public byte[] Encode()
        {
            int pairs = 1 + (PayloadError != ProvisioningPayloadError.None ? 1 : 0) + (Missing != StagedItems.None ? 1 : 0);
            var writer = new CborWriter(Message.Length + 16);
            writer.WriteStartMap(pairs);
            writer.WriteUInt64(KeyMessage);
            writer.WriteTextString(Message);
            if (PayloadError != ProvisioningPayloadError.None)
            {
                writer.WriteUInt64(KeyPayloadError);
                writer.WriteUInt64((ulong)PayloadError);
            }

            if (Missing != StagedItems.None)
            {
                writer.WriteUInt64(KeyMissing);
                writer.WriteUInt64((ulong)Missing);
            }

            return writer.Encode();
        }

        /// <summary>Decodes a diagnostic (tool side). Keys a newer device adds are skipped.</summary>
        /// <param name="payload">The error frame's payload.</param>
        /// <returns>The diagnostic.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed.</exception>
        public static ProvisioningDiagnostic Decode(byte[] payload)
        {
            var reader = new PayloadReader(payload, "refusal diagnostic");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            string message = string.Empty;
            int payloadError = 0;
            int missing = 0;
            for (int i = 0; i < pairs; i++)
            {
                switch (reader.ReadKey())
                {
                    case KeyMessage: message = reader.ReadText("message"); break;
                    case KeyPayloadError: payloadError = reader.ReadInt("payload error", 0, 255); break;
                    case KeyMissing: missing = reader.ReadInt("missing items", 0, (int)StagedItems.All); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(1u << KeyMessage);
            return new ProvisioningDiagnostic(message, (ProvisioningPayloadError)payloadError, (StagedItems)missing);
        }
    }
}
