using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The request side of the provisioning payloads (docs/protocols/console.md): the
    /// encoders the tool uses for requests that have no class of their own, the device's
    /// request decoder, and the checks of the certificate and key items. Answers and items
    /// with structure have their own classes (<see cref="HelloResponse"/>, <see cref="DeviceInfo"/>,
    /// <see cref="WriteChunk"/>, <see cref="WriteProgress"/>, <see cref="TrustAnchorList"/>,
    /// <see cref="ProvisioningConfiguration"/>, <see cref="StagedDigests"/>,
    /// <see cref="ProvisioningDiagnostic"/>), each with its Encode and Decode.
    /// </summary>
    public static class ProvisioningPayloads
    {
        /// <summary>The payload version this library speaks.</summary>
        public const int ProtocolVersion = 1;

        private const int KeyVersion = 1;
        private const int KeyHardwareId = 1;

        /// <summary>Encodes a Hello request: <c>{ 1: version }</c>.</summary>
        /// <param name="protocolVersion">The highest payload version the tool speaks (1 to 255).</param>
        /// <returns>The payload bytes.</returns>
        public static byte[] EncodeHello(int protocolVersion)
        {
            if (protocolVersion < 1 || protocolVersion > HelloResponse.MaxProtocolVersion)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "protocol version " + protocolVersion.ToString() + " is outside 1 to 255");
            }

            var writer = new CborWriter(8);
            writer.WriteStartMap(1);
            writer.WriteUInt64(KeyVersion);
            writer.WriteUInt64((ulong)protocolVersion);
            return writer.Encode();
        }

        /// <summary>Encodes a Lock or FactoryReset request: <c>{ 1: hardware id }</c>, the device the tool means.</summary>
        /// <param name="hardwareId">The device's hardware id, as its Info answer gave it.</param>
        /// <returns>The payload bytes.</returns>
        public static byte[] EncodeConfirmation(string hardwareId)
        {
            ProvisioningText.CheckIdentifier(hardwareId, "hardware id");
            var writer = new CborWriter(80);
            writer.WriteStartMap(1);
            writer.WriteUInt64(KeyHardwareId);
            writer.WriteTextString(hardwareId);
            return writer.Encode();
        }

        /// <summary>
        /// Decodes and checks one request payload as the device receives it. The entry point
        /// for a fuzz harness: for any input it returns a request or throws
        /// <see cref="ProvisioningPayloadException"/>, nothing else.
        /// </summary>
        /// <param name="command">The request's command code.</param>
        /// <param name="payload">The request's payload (null is treated as empty).</param>
        /// <returns>The decoded request. For a write whose chunk is the whole item, the item is checked too (certificate and key shape, trust-anchor list, configuration), as the device checks it when a transfer completes.</returns>
        /// <exception cref="ProvisioningPayloadException">Any rule broken; <see cref="ProvisioningPayloadError.UnknownCommand"/> for a code that is not a provisioning command.</exception>
        public static ProvisioningRequest DecodeRequest(byte command, byte[] payload)
        {
            return DecodeRequestCore(command, payload, true);
        }

        /// <summary>Checks a birth certificate item: one DER SEQUENCE whose content starts with a SEQUENCE (tbsCertificate, RFC 5280 §4.1), at most 4096 bytes.</summary>
        /// <param name="certificate">The certificate's DER bytes.</param>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.ItemTooLarge"/> or <see cref="ProvisioningPayloadError.NotDer"/>.</exception>
        public static void CheckBirthCertificate(byte[] certificate)
        {
            CheckLength(certificate, ProvisioningLimits.MaxBirthCertificateLength, "birth certificate");
            int header = DerSequence.Check(certificate, "birth certificate");
            if (header >= certificate.Length || certificate[header] != 0x30)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.NotDer, "birth certificate is a DER SEQUENCE but not an X.509 certificate (no tbsCertificate SEQUENCE)");
            }
        }

        /// <summary>
        /// Checks a birth key item: a PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208 §5,
        /// RFC 5958 §2) in DER, at most 4096 bytes: SEQUENCE { INTEGER 0 or 1, AlgorithmIdentifier SEQUENCE, ... }.
        /// A PKCS#1 RSA key (INTEGER 0 then INTEGER) or a SEC1 EC key (INTEGER 1 then OCTET STRING)
        /// is refused with <see cref="ProvisioningPayloadError.NotPkcs8"/>.
        /// </summary>
        /// <param name="privateKey">The key's DER bytes.</param>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.ItemTooLarge"/>, <see cref="ProvisioningPayloadError.NotDer"/> or <see cref="ProvisioningPayloadError.NotPkcs8"/>.</exception>
        public static void CheckBirthKey(byte[] privateKey)
        {
            CheckLength(privateKey, ProvisioningLimits.MaxBirthKeyLength, "birth key");
            int h = DerSequence.Check(privateKey, "birth key");
            bool pkcs8 = h + 3 < privateKey.Length
                && privateKey[h] == 0x02
                && privateKey[h + 1] == 0x01
                && (privateKey[h + 2] == 0x00 || privateKey[h + 2] == 0x01)
                && privateKey[h + 3] == 0x30;
            if (!pkcs8)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.NotPkcs8, "birth key is DER but not PKCS#8 (a PKCS#1 or SEC1 key? convert it with openssl pkcs8 -topk8 -nocrypt)");
            }
        }

        /// <summary>Decodes a request; <paramref name="checkWholeItems"/> false leaves the item check to the caller (the handler checks it once, when the transfer completes).</summary>
        internal static ProvisioningRequest DecodeRequestCore(byte command, byte[] payload, bool checkWholeItems)
        {
            if (payload == null)
            {
                payload = new byte[0];
            }

            var request = new ProvisioningRequest((ConsoleCommand)command);
            switch ((ConsoleCommand)command)
            {
                case ConsoleCommand.Hello:
                    request.ProtocolVersion = DecodeHello(payload);
                    break;
                case ConsoleCommand.Info:
                case ConsoleCommand.ReadBack:
                case ConsoleCommand.Commit:
                    RequireEmpty(command, payload);
                    break;
                case ConsoleCommand.Lock:
                case ConsoleCommand.FactoryReset:
                    request.HardwareId = DecodeConfirmation(command, payload);
                    break;
                case ConsoleCommand.WriteBirthCertificate:
                case ConsoleCommand.WriteBirthKey:
                case ConsoleCommand.WriteTrustAnchors:
                case ConsoleCommand.WriteConfiguration:
                    StagedItems item = ItemOf((ConsoleCommand)command);
                    WriteChunk chunk = WriteChunk.Decode(payload, ConsoleNames.Command(command));
                    int limit = ProvisioningLimits.MaxItemLength(item);
                    if (chunk.TotalLength > limit)
                    {
                        throw new ProvisioningPayloadException(
                            ProvisioningPayloadError.ItemTooLarge,
                            ConsoleNames.Command(command) + ": total length " + chunk.TotalLength.ToString() + " exceeds the item's limit of " + limit.ToString());
                    }

                    request.Item = item;
                    request.Chunk = chunk;
                    if (checkWholeItems && chunk.IsWholeItem)
                    {
                        CheckItem(item, chunk.GetData(), request);
                    }

                    break;
                default:
                    throw new ProvisioningPayloadException(ProvisioningPayloadError.UnknownCommand, ConsoleNames.Command(command) + " is not a provisioning command");
            }

            return request;
        }

        /// <summary>The item a write command writes, or None.</summary>
        /// <param name="command">The command.</param>
        /// <returns>One item bit, or <see cref="StagedItems.None"/> for other commands.</returns>
        public static StagedItems ItemOf(ConsoleCommand command)
        {
            switch (command)
            {
                case ConsoleCommand.WriteBirthCertificate: return StagedItems.BirthCertificate;
                case ConsoleCommand.WriteBirthKey: return StagedItems.BirthKey;
                case ConsoleCommand.WriteTrustAnchors: return StagedItems.TrustAnchors;
                case ConsoleCommand.WriteConfiguration: return StagedItems.Configuration;
                default: return StagedItems.None;
            }
        }

        /// <summary>Checks a complete item and, for the structured ones, keeps the decoded form in <paramref name="into"/>.</summary>
        internal static void CheckItem(StagedItems item, byte[] content, ProvisioningRequest into)
        {
            switch (item)
            {
                case StagedItems.BirthCertificate:
                    CheckBirthCertificate(content);
                    break;
                case StagedItems.BirthKey:
                    CheckBirthKey(content);
                    break;
                case StagedItems.TrustAnchors:
                    into.TrustAnchors = TrustAnchorList.Decode(content);
                    break;
                default:
                    into.Configuration = ProvisioningConfiguration.Decode(content);
                    break;
            }
        }

        private static int DecodeHello(byte[] payload)
        {
            var reader = new PayloadReader(payload, "Hello");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            int version = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = reader.ReadKey();
                if (key != KeyVersion)
                {
                    throw reader.UnknownField(key);
                }

                version = reader.ReadInt("protocol version", 1, HelloResponse.MaxProtocolVersion);
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(1u << KeyVersion);
            return version;
        }

        private static string DecodeConfirmation(byte command, byte[] payload)
        {
            var reader = new PayloadReader(payload, ConsoleNames.Command(command));
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            string hardwareId = string.Empty;
            for (int i = 0; i < pairs; i++)
            {
                int key = reader.ReadKey();
                if (key != KeyHardwareId)
                {
                    throw reader.UnknownField(key);
                }

                hardwareId = reader.ReadText("hardware id");
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            reader.RequireKeys(1u << KeyHardwareId);
            ProvisioningText.CheckIdentifier(hardwareId, "hardware id");
            return hardwareId;
        }

        private static void RequireEmpty(byte command, byte[] payload)
        {
            if (payload.Length != 0)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.UnexpectedPayload,
                    ConsoleNames.Command(command) + " takes no payload, got " + payload.Length.ToString() + " bytes");
            }
        }

        private static void CheckLength(byte[] item, int limit, string what)
        {
            if (item == null)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.NotDer, what + " is missing");
            }

            if (item.Length > limit)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, what + " of " + item.Length.ToString() + " bytes exceeds " + limit.ToString());
            }
        }
    }
}
