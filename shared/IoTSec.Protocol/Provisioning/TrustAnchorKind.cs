namespace IoTSec.Protocol.Provisioning
{
    /// <summary>What a trust anchor is trusted for (wire values of a trust anchor's kind field).</summary>
    public enum TrustAnchorKind : byte
    {
        /// <summary>
        /// The offline root CA that gateways' certificates chain to; the device checks its
        /// gateway's TLS certificate against it (value: an X.509 certificate, DER).
        /// </summary>
        GatewayRoot = 1,

        /// <summary>
        /// A key that signs OTA manifests and trust-anchor updates (value: a COSE_Key,
        /// RFC 9052 §7).
        /// </summary>
        OtaSigningKey = 2,
    }
}
