namespace IoTSec.Protocol.Manifest
{
    /// <summary>What a trust-anchor update replaces on the device.</summary>
    public enum TrustAnchorKind
    {
        /// <summary>The key that signs OTA manifests and trust-anchor updates; the anchor is a COSE_Key (RFC 8230 RSA, PS256).</summary>
        OtaSigningKey = 0,

        /// <summary>The root the device checks the gateway's TLS certificate against; the anchor is a DER X.509 certificate.</summary>
        GatewayRoot = 1,
    }
}
