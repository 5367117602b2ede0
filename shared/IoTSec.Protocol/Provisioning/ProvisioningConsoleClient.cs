using IoTSec.Protocol.Console;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The provisioning tool's typed view of a device's console, over a
    /// <see cref="ConsoleClientSession"/>: one method per command, payloads encoded and
    /// answers decoded and checked (docs/protocols/console.md). Writes split items larger than
    /// one frame into chunks and return the SHA-256 of what they sent, to compare with
    /// <see cref="ReadBack"/> before <see cref="Commit"/>.
    /// </summary>
    /// <remarks>
    /// Errors: <see cref="ProvisioningRefusedException"/> when the device refuses (its status
    /// and diagnostic); <see cref="ProvisioningPayloadException"/> when an argument breaks a rule
    /// the device would refuse anyway (nothing is sent) or when the device's answer is
    /// malformed; <see cref="ConsoleProtocolException"/> for transport failures (timeout).
    /// Not thread-safe, like the session.
    /// </remarks>
    public sealed class ProvisioningConsoleClient
    {
        private readonly ConsoleClientSession _session;
        private int _chunkLength = ProvisioningLimits.MaxChunkLength;

        /// <summary>Creates the client.</summary>
        /// <param name="session">The console session to the device.</param>
        public ProvisioningConsoleClient(ConsoleClientSession session)
        {
            if (session == null)
            {
                throw new System.ArgumentNullException("session");
            }

            _session = session;
        }

        /// <summary>Largest chunk per write request (1 to <see cref="ProvisioningLimits.MaxChunkLength"/>, the default).</summary>
        public int ChunkLength
        {
            get
            {
                return _chunkLength;
            }

            set
            {
                if (value < 1 || value > ProvisioningLimits.MaxChunkLength)
                {
                    throw new System.ArgumentOutOfRangeException("value", "the chunk length must be 1 to " + ProvisioningLimits.MaxChunkLength.ToString());
                }

                _chunkLength = value;
            }
        }

        /// <summary>Greets the device: checks it is an IoTSec device and agrees the payload version.</summary>
        /// <returns>The device's answer (magic checked, version supported, hardware id).</returns>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.BadMagic"/> when something else answered; <see cref="ProvisioningPayloadError.UnsupportedVersion"/> when the device speaks no version this tool knows.</exception>
        public HelloResponse Hello()
        {
            HelloResponse hello = HelloResponse.Decode(Request(ConsoleCommand.Hello, ProvisioningPayloads.EncodeHello(ProvisioningPayloads.ProtocolVersion)));
            if (hello.ProtocolVersion != ProvisioningPayloads.ProtocolVersion)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.UnsupportedVersion,
                    "the device answers payload version " + hello.ProtocolVersion.ToString() + "; this tool speaks " + ProvisioningPayloads.ProtocolVersion.ToString());
            }

            return hello;
        }

        /// <summary>Reads the device's identity, state and hardening.</summary>
        /// <returns>The Info answer.</returns>
        public DeviceInfo GetInfo()
        {
            return DeviceInfo.Decode(Request(ConsoleCommand.Info, new byte[0]));
        }

        /// <summary>Stages the birth certificate.</summary>
        /// <param name="certificate">X.509 DER (at most 4096 bytes).</param>
        /// <returns>SHA-256 of the bytes sent, to compare with <see cref="StagedDigests.Get"/> of <see cref="StagedItems.BirthCertificate"/>.</returns>
        public byte[] WriteBirthCertificate(byte[] certificate)
        {
            ProvisioningPayloads.CheckBirthCertificate(certificate);
            return WriteItem(ConsoleCommand.WriteBirthCertificate, certificate);
        }

        /// <summary>Stages the birth key. The device never sends it back: verify it with <see cref="ReadBack"/>.</summary>
        /// <param name="privateKey">PKCS#8 DER (at most 4096 bytes).</param>
        /// <returns>SHA-256 of the bytes sent.</returns>
        public byte[] WriteBirthKey(byte[] privateKey)
        {
            ProvisioningPayloads.CheckBirthKey(privateKey);
            return WriteItem(ConsoleCommand.WriteBirthKey, privateKey);
        }

        /// <summary>Stages the trust anchors.</summary>
        /// <param name="anchors">The list (at least a gateway root and an OTA signing key).</param>
        /// <returns>SHA-256 of the encoded list sent.</returns>
        public byte[] WriteTrustAnchors(TrustAnchorList anchors)
        {
            if (anchors == null)
            {
                throw new System.ArgumentNullException("anchors");
            }

            return WriteItem(ConsoleCommand.WriteTrustAnchors, anchors.Encode());
        }

        /// <summary>Stages the trust anchors.</summary>
        /// <param name="anchors">The anchors (at least a gateway root and an OTA signing key).</param>
        /// <returns>SHA-256 of the encoded list sent.</returns>
        public byte[] WriteTrustAnchors(TrustAnchor[] anchors)
        {
            return WriteTrustAnchors(new TrustAnchorList(anchors));
        }

        /// <summary>Stages the configuration.</summary>
        /// <param name="configuration">The configuration.</param>
        /// <returns>SHA-256 of the encoded configuration sent.</returns>
        public byte[] WriteConfiguration(ProvisioningConfiguration configuration)
        {
            if (configuration == null)
            {
                throw new System.ArgumentNullException("configuration");
            }

            return WriteItem(ConsoleCommand.WriteConfiguration, configuration.Encode());
        }

        /// <summary>Reads the SHA-256 of each staged item.</summary>
        /// <returns>The digests (items not staged are absent).</returns>
        /// <exception cref="ProvisioningRefusedException"><see cref="ConsoleStatus.NotStaged"/> when nothing is staged.</exception>
        public StagedDigests ReadBack()
        {
            return StagedDigests.Decode(Request(ConsoleCommand.ReadBack, new byte[0]));
        }

        /// <summary>Makes the staged items the device's active identity, atomically.</summary>
        /// <exception cref="ProvisioningRefusedException"><see cref="ConsoleStatus.NotStaged"/> (see <see cref="ProvisioningRefusedException.MissingItems"/>) or <see cref="ConsoleStatus.Locked"/>.</exception>
        public void Commit()
        {
            // The answer carries nothing in version 1; a newer device may add to it.
            Request(ConsoleCommand.Commit, new byte[0]);
        }

        /// <summary>Locks provisioning for the device's life in the field (one way: only the rework strap and a factory reset reopen it).</summary>
        /// <param name="hardwareId">The hardware id of the device meant, from its Info answer: the device refuses if it is not its own.</param>
        public void Lock(string hardwareId)
        {
            Request(ConsoleCommand.Lock, ProvisioningPayloads.EncodeConfirmation(hardwareId));
        }

        /// <summary>Erases the device's identity, trust anchors and configuration, and unlocks it. Refused on a locked device unless it was booted with its rework strap held.</summary>
        /// <param name="hardwareId">The hardware id of the device meant, from its Info answer.</param>
        public void FactoryReset(string hardwareId)
        {
            Request(ConsoleCommand.FactoryReset, ProvisioningPayloads.EncodeConfirmation(hardwareId));
        }

        private byte[] WriteItem(ConsoleCommand command, byte[] item)
        {
            int limit = ProvisioningLimits.MaxItemLength(ProvisioningPayloads.ItemOf(command));
            if (item.Length > limit)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, ConsoleNames.Command((byte)command) + ": item of " + item.Length.ToString() + " bytes exceeds " + limit.ToString());
            }

            int offset = 0;
            while (offset < item.Length)
            {
                int length = item.Length - offset < _chunkLength ? item.Length - offset : _chunkLength;
                var data = new byte[length];
                System.Array.Copy(item, offset, data, 0, length);
                byte[] answer = Request(command, new WriteChunk(item.Length, offset, data).Encode());
                offset += length;
                WriteProgress progress = WriteProgress.Decode(answer);
                bool last = offset == item.Length;
                if (progress.Received != offset || progress.Staged != last)
                {
                    throw new ProvisioningPayloadException(
                        ProvisioningPayloadError.ProgressMismatch,
                        ConsoleNames.Command((byte)command) + ": the device acknowledged " + progress.Received.ToString() + " bytes"
                            + (progress.Staged ? " (staged)" : string.Empty) + " after " + offset.ToString() + " of " + item.Length.ToString() + " were sent");
                }

                // The chunk copy may hold part of a private key.
                System.Array.Clear(data, 0, data.Length);
            }

            return Sha256.Hash(item);
        }

        private byte[] Request(ConsoleCommand command, byte[] payload)
        {
            try
            {
                return _session.Request((byte)command, payload);
            }
            catch (ConsoleProtocolException e)
            {
                if (e.Reason != ConsoleProtocolError.RemoteError)
                {
                    throw;
                }

                throw new ProvisioningRefusedException(command, e);
            }
        }
    }
}
