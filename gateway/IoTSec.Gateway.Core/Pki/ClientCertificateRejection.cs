namespace IoTSec.Gateway.Core.Pki;

/// <summary>Why a client certificate was refused. Counted, audited, and sent in no detail to the client.</summary>
public enum ClientCertificateRejection
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>The client presented no certificate.</summary>
    NoCertificate = 1,

    /// <summary>No valid signature path to the offline root (another CA, a forged or damaged signature, a non-CA issuer).</summary>
    UntrustedChain = 2,

    /// <summary>The path to the root is not leaf ← gateway intermediate ← root (e.g. a leaf signed by the root itself).</summary>
    WrongChainLength = 3,

    /// <summary>The certificate, or its intermediate, is past its notAfter.</summary>
    Expired = 4,

    /// <summary>The certificate, or its intermediate, is before its notBefore.</summary>
    NotYetValid = 5,

    /// <summary>The certificate, or its intermediate, is revoked.</summary>
    Revoked = 6,

    /// <summary>Not a client-authentication end-entity certificate (no clientAuth EKU, no digitalSignature, or a CA).</summary>
    WrongUsage = 7,

    /// <summary>The CN is not a well-formed device id.</summary>
    InvalidDeviceId = 8,
}
