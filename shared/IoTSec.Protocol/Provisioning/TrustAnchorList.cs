using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The trust-anchor item: 1 to 8 anchors with distinct key ids, at least one
    /// <see cref="TrustAnchorKind.GatewayRoot"/> and one <see cref="TrustAnchorKind.OtaSigningKey"/>
    /// (docs/protocols/console.md, <c>trust-anchors</c>). Its encoding is deterministic, so the
    /// bytes the tool sends, the bytes the device stages and <see cref="Encode"/> of the
    /// decoded list are the same bytes, and their SHA-256 is what ReadBack reports.
    /// </summary>
    public sealed class TrustAnchorList
    {
        private const int KeyKind = 1;
        private const int KeyValue = 2;
        private const int KeyKeyId = 3;
        private const uint RequiredKeys = (1u << KeyKind) | (1u << KeyValue) | (1u << KeyKeyId);

        private readonly TrustAnchor[] _anchors;

        /// <summary>Creates the list; the set rules are checked here.</summary>
        /// <param name="anchors">The anchors (the array is copied, the anchors are immutable).</param>
        /// <exception cref="ProvisioningPayloadException">
        /// <see cref="ProvisioningPayloadError.OutOfRange"/> (count), <see cref="ProvisioningPayloadError.DuplicateKeyId"/>,
        /// <see cref="ProvisioningPayloadError.MissingAnchorKind"/>.
        /// </exception>
        public TrustAnchorList(TrustAnchor[] anchors)
        {
            if (anchors == null || anchors.Length < 1 || anchors.Length > ProvisioningLimits.MaxTrustAnchors)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "a trust-anchor list holds 1 to " + ProvisioningLimits.MaxTrustAnchors.ToString() + " anchors");
            }

            bool gatewayRoot = false;
            bool otaKey = false;
            _anchors = new TrustAnchor[anchors.Length];
            for (int i = 0; i < anchors.Length; i++)
            {
                TrustAnchor anchor = anchors[i];
                if (anchor == null)
                {
                    throw new System.ArgumentNullException("anchors", "trust anchor " + i.ToString() + " is null");
                }

                for (int j = 0; j < i; j++)
                {
                    if (SameBytes(_anchors[j].KeyId, anchor.KeyId))
                    {
                        // A key id must name one key: a manifest's kid picks the key to verify with.
                        throw new ProvisioningPayloadException(ProvisioningPayloadError.DuplicateKeyId, "trust anchors " + j.ToString() + " and " + i.ToString() + " have the same key id");
                    }
                }

                gatewayRoot |= anchor.Kind == TrustAnchorKind.GatewayRoot;
                otaKey |= anchor.Kind == TrustAnchorKind.OtaSigningKey;
                _anchors[i] = anchor;
            }

            if (!gatewayRoot || !otaKey)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.MissingAnchorKind,
                    "a trust-anchor list needs a gateway root (to enrol) and an OTA signing key (to update); " + (gatewayRoot ? "the OTA signing key" : "the gateway root") + " is missing");
            }
        }

        /// <summary>The number of anchors.</summary>
        public int Count
        {
            get { return _anchors.Length; }
        }

        /// <summary>The anchor at <paramref name="index"/>, in the order sent.</summary>
        /// <param name="index">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The anchor.</returns>
        public TrustAnchor Get(int index)
        {
            return _anchors[index];
        }

        /// <summary>Encodes the item (deterministic CBOR).</summary>
        /// <returns>The item bytes.</returns>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.ItemTooLarge"/> over 8192 bytes.</exception>
        public byte[] Encode()
        {
            var writer = new CborWriter(256);
            writer.WriteStartArray(_anchors.Length);
            for (int i = 0; i < _anchors.Length; i++)
            {
                TrustAnchor anchor = _anchors[i];
                writer.WriteStartMap(3);
                writer.WriteUInt64(KeyKind);
                writer.WriteUInt64((ulong)anchor.Kind);
                writer.WriteUInt64(KeyValue);
                writer.WriteByteString(anchor.Value);
                writer.WriteUInt64(KeyKeyId);
                writer.WriteByteString(anchor.KeyId);
            }

            byte[] encoded = writer.Encode();
            if (encoded.Length > ProvisioningLimits.MaxTrustAnchorListLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, "trust-anchor list of " + encoded.Length.ToString() + " bytes exceeds " + ProvisioningLimits.MaxTrustAnchorListLength.ToString());
            }

            return encoded;
        }

        /// <summary>Decodes and checks the item (strict: unknown keys refused).</summary>
        /// <param name="item">The reassembled item bytes.</param>
        /// <returns>The list.</returns>
        /// <exception cref="ProvisioningPayloadException">Any rule of the item broken.</exception>
        public static TrustAnchorList Decode(byte[] item)
        {
            if (item == null || item.Length > ProvisioningLimits.MaxTrustAnchorListLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.ItemTooLarge, "trust-anchor list exceeds " + ProvisioningLimits.MaxTrustAnchorListLength.ToString() + " bytes");
            }

            var reader = new PayloadReader(item, "trust-anchor list");
            int count = reader.ReadStartArray("the list", 1, ProvisioningLimits.MaxTrustAnchors);
            var anchors = new TrustAnchor[count];
            for (int i = 0; i < count; i++)
            {
                int pairs = reader.ReadStartMap();
                reader.BeginKeys();
                int kind = 0;
                byte[] value = new byte[0];
                byte[] keyId = new byte[0];
                for (int p = 0; p < pairs; p++)
                {
                    int key = reader.ReadKey();
                    switch (key)
                    {
                        case KeyKind:
                            ulong rawKind = reader.ReadUInt("anchor kind", 0, ulong.MaxValue);
                            if (rawKind != (ulong)TrustAnchorKind.GatewayRoot && rawKind != (ulong)TrustAnchorKind.OtaSigningKey)
                            {
                                throw new ProvisioningPayloadException(ProvisioningPayloadError.UnknownAnchorKind, "trust anchor " + i.ToString() + ": kind " + rawKind.ToString() + " is not defined");
                            }

                            kind = (int)rawKind;
                            break;
                        case KeyValue:
                            value = reader.ReadBytes("anchor value", 1, ProvisioningLimits.MaxTrustAnchorListLength);
                            break;
                        case KeyKeyId:
                            keyId = reader.ReadBytes("anchor key id", 1, ProvisioningLimits.MaxKeyIdLength);
                            break;
                        default:
                            throw reader.UnknownField(key);
                    }
                }

                reader.ReadEndMap();
                reader.RequireKeys(RequiredKeys);
                anchors[i] = new TrustAnchor((TrustAnchorKind)kind, value, keyId);
            }

            reader.ReadEndArray();
            reader.ReadEnd();
            return new TrustAnchorList(anchors);
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
