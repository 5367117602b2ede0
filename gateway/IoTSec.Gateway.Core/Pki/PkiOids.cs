namespace IoTSec.Gateway.Core.Pki;

/// <summary>Object identifiers the hierarchy uses.</summary>
internal static class PkiOids
{
    /// <summary>id-kp-clientAuth (RFC 5280 4.2.1.12).</summary>
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-kp-serverAuth (RFC 5280 4.2.1.12).</summary>
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary>rsaEncryption (RFC 8017).</summary>
    public const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>secp256r1 / P-256.</summary>
    public const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>secp384r1 / P-384.</summary>
    public const string P384 = "1.3.132.0.34";

    /// <summary>
    /// Certificate policy that marks a gateway intermediate (a CA allowed to vouch for device
    /// operational certificates and gateway TLS servers). Other CAs the root may sign — the
    /// manufacturing station CAs that issue birth certificates — do not carry it, so their
    /// certificates never pass as operational ones. A UUID OID (ITU-T X.667, arc 2.25):
    /// unique without registering an enterprise arc; UUID 20a74ee4-22b8-48b3-b86f-4b4a51794990.
    /// </summary>
    public const string GatewayIntermediatePolicy = "2.25.43404009543208038239827161750785575312";

    /// <summary>
    /// Extended key usage of the backup recovery certificate (made at the CA ceremony): the
    /// key may only decrypt gateway backups. Its certificate carries this purpose alone, so it
    /// never passes as a TLS client, a server or a CA. A UUID OID (arc 2.25),
    /// UUID 8eb0f376-6db1-4f68-8a37-f0509775c3f1.
    /// </summary>
    public const string BackupRecoveryPurpose = "2.25.189669157656965268590038450686571955185";

    /// <summary>id-ce-certificatePolicies (RFC 5280 4.2.1.4).</summary>
    public const string CertificatePoliciesExtension = "2.5.29.32";
}
