namespace IoTSec.Gateway.Core.Keys;

/// <summary>The gateway's long-lived keys. Both are ECDSA P-256 and, with the TPM backend, never leave the TPM.</summary>
public enum GatewayKeyRole
{
    /// <summary>The gateway's upstream identity (its client certificate towards the operator's broker).</summary>
    Identity = 1,

    /// <summary>
    /// The device-issuing CA key: the offline root signs an intermediate certificate for it,
    /// and it issues device certificates and the gateway's short-lived TLS server certificates.
    /// </summary>
    DeviceCa = 2,
}
