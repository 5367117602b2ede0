namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// One trust anchor: what it is trusted for, its bytes and its key id
    /// (docs/protocols/console.md, <c>trust-anchor</c>).
    /// </summary>
    public sealed class TrustAnchor
    {
        private readonly byte[] _value;
        private readonly byte[] _keyId;

        /// <summary>Creates an anchor; its value is checked for its kind.</summary>
        /// <param name="kind">What it is trusted for.</param>
        /// <param name="value">For <see cref="TrustAnchorKind.GatewayRoot"/> an X.509 certificate (DER); for <see cref="TrustAnchorKind.OtaSigningKey"/> a COSE_Key (RFC 9052 §7). Copied.</param>
        /// <param name="keyId">The key id (1 to 32 bytes) by which manifests and the gateway name this anchor, e.g. the COSE "kid". Copied.</param>
        /// <exception cref="ProvisioningPayloadException">
        /// <see cref="ProvisioningPayloadError.UnknownAnchorKind"/>, <see cref="ProvisioningPayloadError.NotDer"/>,
        /// <see cref="ProvisioningPayloadError.InvalidCoseKey"/> or <see cref="ProvisioningPayloadError.OutOfRange"/>.
        /// </exception>
        public TrustAnchor(TrustAnchorKind kind, byte[] value, byte[] keyId)
        {
            if (kind != TrustAnchorKind.GatewayRoot && kind != TrustAnchorKind.OtaSigningKey)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.UnknownAnchorKind, "trust anchor kind " + ((int)kind).ToString() + " is not defined");
            }

            if (keyId == null || keyId.Length < 1 || keyId.Length > ProvisioningLimits.MaxKeyIdLength)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "trust anchor key id must be 1 to " + ProvisioningLimits.MaxKeyIdLength.ToString() + " bytes");
            }

            if (value == null || value.Length < 1)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.OutOfRange, "trust anchor value is empty");
            }

            if (kind == TrustAnchorKind.GatewayRoot)
            {
                DerSequence.Check(value, "gateway root certificate");
            }
            else
            {
                CoseKeyShape.Check(value);
            }

            Kind = kind;
            _value = Copy(value);
            _keyId = Copy(keyId);
        }

        /// <summary>What the anchor is trusted for.</summary>
        public TrustAnchorKind Kind { get; }

        /// <summary>The anchor's bytes (certificate DER or COSE_Key).</summary>
        /// <returns>A copy.</returns>
        public byte[] GetValue()
        {
            return Copy(_value);
        }

        /// <summary>The key id.</summary>
        /// <returns>A copy.</returns>
        public byte[] GetKeyId()
        {
            return Copy(_keyId);
        }

        /// <summary>The value without copying, for the encoder.</summary>
        internal byte[] Value
        {
            get { return _value; }
        }

        /// <summary>The key id without copying, for the encoder and the duplicate check.</summary>
        internal byte[] KeyId
        {
            get { return _keyId; }
        }

        private static byte[] Copy(byte[] source)
        {
            var copy = new byte[source.Length];
            System.Array.Copy(source, copy, source.Length);
            return copy;
        }
    }
}
