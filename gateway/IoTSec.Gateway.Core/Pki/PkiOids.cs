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
}
