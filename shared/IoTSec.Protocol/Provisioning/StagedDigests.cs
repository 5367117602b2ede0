using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The answer to ReadBack: the SHA-256 of each staged item, exactly the bytes that were
    /// written (the reassembled chunks), keyed by item (docs/protocols/console.md,
    /// <c>staged-digests</c>). The tool compares them with the digests of what it sent, so it
    /// verifies the birth key without the device ever sending the key back. An item that is
    /// not staged is absent from the answer, and has an empty digest here.
    /// </summary>
    public sealed class StagedDigests
    {
        private const int KeyBirthCertificate = 1;
        private const int KeyBirthKey = 2;
        private const int KeyTrustAnchors = 3;
        private const int KeyConfiguration = 4;

        private readonly byte[] _birthCertificate;
        private readonly byte[] _birthKey;
        private readonly byte[] _trustAnchors;
        private readonly byte[] _configuration;

        /// <summary>Creates the answer; pass an empty array for an item that is not staged.</summary>
        /// <param name="birthCertificate">SHA-256 of the staged birth certificate (32 bytes), or empty.</param>
        /// <param name="birthKey">SHA-256 of the staged birth key, or empty.</param>
        /// <param name="trustAnchors">SHA-256 of the staged trust-anchor list, or empty.</param>
        /// <param name="configuration">SHA-256 of the staged configuration, or empty.</param>
        /// <exception cref="ProvisioningPayloadException">A digest is not 32 bytes.</exception>
        public StagedDigests(byte[] birthCertificate, byte[] birthKey, byte[] trustAnchors, byte[] configuration)
        {
            _birthCertificate = CheckedCopy(birthCertificate, "birth certificate");
            _birthKey = CheckedCopy(birthKey, "birth key");
            _trustAnchors = CheckedCopy(trustAnchors, "trust anchors");
            _configuration = CheckedCopy(configuration, "configuration");
        }

        /// <summary>Which items have a digest.</summary>
        public StagedItems Present
        {
            get
            {
                StagedItems present = StagedItems.None;
                if (_birthCertificate.Length != 0)
                {
                    present |= StagedItems.BirthCertificate;
                }

                if (_birthKey.Length != 0)
                {
                    present |= StagedItems.BirthKey;
                }

                if (_trustAnchors.Length != 0)
                {
                    present |= StagedItems.TrustAnchors;
                }

                if (_configuration.Length != 0)
                {
                    present |= StagedItems.Configuration;
                }

                return present;
            }
        }

        /// <summary>The digest of one item.</summary>
        /// <param name="item">Exactly one item.</param>
        /// <returns>A copy of its 32-byte SHA-256, or an empty array when it is not staged.</returns>
        public byte[] Get(StagedItems item)
        {
            byte[] digest;
            switch (item)
            {
                case StagedItems.BirthCertificate: digest = _birthCertificate; break;
                case StagedItems.BirthKey: digest = _birthKey; break;
                case StagedItems.TrustAnchors: digest = _trustAnchors; break;
                case StagedItems.Configuration: digest = _configuration; break;
                default: throw new System.ArgumentOutOfRangeException("item", "name exactly one item");
            }

            return CheckedCopy(digest, "digest");
        }

        /// <summary>True when the item is staged and its digest equals <paramref name="expected"/>.</summary>
        /// <param name="item">Exactly one item.</param>
        /// <param name="expected">The SHA-256 of what the tool sent.</param>
        /// <returns>Whether the device holds exactly those bytes.</returns>
        public bool Matches(StagedItems item, byte[] expected)
        {
            byte[] digest = Get(item);
            if (digest.Length == 0 || expected == null || expected.Length != digest.Length)
            {
                return false;
            }

            // Digests of what was sent are not secret; constant time costs nothing here and
            // keeps one comparison idiom for digests across the code base.
            return Crypto.ConstantTime.AreEqual(digest, expected);
        }

        /// <summary>Encodes the answer.</summary>
        /// <returns>The payload bytes.</returns>
        public byte[] Encode()
        {
            int count = 0;
            count += _birthCertificate.Length != 0 ? 1 : 0;
            count += _birthKey.Length != 0 ? 1 : 0;
            count += _trustAnchors.Length != 0 ? 1 : 0;
            count += _configuration.Length != 0 ? 1 : 0;
            var writer = new CborWriter(4 + (count * 35));
            writer.WriteStartMap(count);
            WriteDigest(writer, KeyBirthCertificate, _birthCertificate);
            WriteDigest(writer, KeyBirthKey, _birthKey);
            WriteDigest(writer, KeyTrustAnchors, _trustAnchors);
            WriteDigest(writer, KeyConfiguration, _configuration);
            return writer.Encode();
        }

        /// <summary>Decodes the answer (tool side). Keys a newer device adds are skipped.</summary>
        /// <param name="payload">The response payload.</param>
        /// <returns>The answer.</returns>
        /// <exception cref="ProvisioningPayloadException">Malformed, or a digest that is not 32 bytes.</exception>
        public static StagedDigests Decode(byte[] payload)
        {
            var reader = new PayloadReader(payload, "ReadBack answer");
            int pairs = reader.ReadStartMap();
            reader.BeginKeys();
            byte[] certificate = new byte[0];
            byte[] key = new byte[0];
            byte[] anchors = new byte[0];
            byte[] configuration = new byte[0];
            for (int i = 0; i < pairs; i++)
            {
                switch (reader.ReadKey())
                {
                    case KeyBirthCertificate: certificate = ReadDigest(reader, "birth certificate digest"); break;
                    case KeyBirthKey: key = ReadDigest(reader, "birth key digest"); break;
                    case KeyTrustAnchors: anchors = ReadDigest(reader, "trust anchors digest"); break;
                    case KeyConfiguration: configuration = ReadDigest(reader, "configuration digest"); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();
            return new StagedDigests(certificate, key, anchors, configuration);
        }

        private static byte[] ReadDigest(PayloadReader reader, string field)
        {
            return reader.ReadBytes(field, ProvisioningLimits.DigestLength, ProvisioningLimits.DigestLength);
        }

        private static void WriteDigest(CborWriter writer, int key, byte[] digest)
        {
            if (digest.Length != 0)
            {
                writer.WriteUInt64((ulong)key);
                writer.WriteByteString(digest);
            }
        }

        private static byte[] CheckedCopy(byte[] digest, string item)
        {
            if (digest == null || digest.Length == 0)
            {
                return new byte[0];
            }

            if (digest.Length != ProvisioningLimits.DigestLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, item + " digest must be 32 bytes (SHA-256)");
            }

            var copy = new byte[digest.Length];
            System.Array.Copy(digest, copy, digest.Length);
            return copy;
        }
    }
}
