namespace IoTSec.Gateway.Core.Pki;

/// <summary>Why a PKCS#10 certificate signing request was refused. The reason reaches the audit log and the EST response.</summary>
public enum SigningRequestRejection
{
    /// <summary>Not a DER PKCS#10 request (truncated, bad encoding, trailing bytes, too large).</summary>
    Malformed = 1,

    /// <summary>Well-formed, but its self-signature does not verify with the public key it carries (proof of possession failed).</summary>
    SignatureInvalid = 2,

    /// <summary>The public key's algorithm or size is not one this issuer accepts.</summary>
    UnsupportedKey = 3,

    /// <summary>The subject is empty or not acceptable for this kind of certificate.</summary>
    InvalidSubject = 4,

    /// <summary>The subject's CN names a different device than the one enrolling.</summary>
    SubjectMismatch = 5,

    /// <summary>The device id is not 1–64 characters of [A-Za-z0-9._-].</summary>
    InvalidDeviceId = 6,
}
