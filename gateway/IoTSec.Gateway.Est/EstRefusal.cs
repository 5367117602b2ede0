namespace IoTSec.Gateway.Est;

/// <summary>
/// Why the EST service refused a connection or a request. Each reason has one HTTP status and
/// one code word (<see cref="EstRefusals"/>); the code word is the first word of the text/plain
/// body, names the reason in logs, and is what the audit log counts.
/// </summary>
public enum EstRefusal
{
    /// <summary>No client certificate (401). TLS already requires one; this is the fallback.</summary>
    NoClientCertificate = 1,

    /// <summary>The client certificate chains to no trusted anchor, or is not for client authentication (refused at TLS).</summary>
    UntrustedCertificate = 2,

    /// <summary>The client certificate, or a certificate above it, is outside its validity (refused at TLS).</summary>
    CertificateOutsideValidity = 3,

    /// <summary>The client certificate is revoked (refused at TLS).</summary>
    CertificateRevoked = 4,

    /// <summary>The device is revoked or decommissioned (refused at TLS, or 403 when it happened since).</summary>
    DeviceRevoked = 5,

    /// <summary>A valid certificate, but no device of the inventory owns it (404).</summary>
    UnknownDevice = 6,

    /// <summary>simpleenroll needs the device's birth certificate (403).</summary>
    BirthCertificateRequired = 7,

    /// <summary>simplereenroll and the heartbeat key need the device's operational certificate (403).</summary>
    OperationalCertificateRequired = 8,

    /// <summary>An operational certificate that is no longer the device's current one: superseded (403).</summary>
    CertificateSuperseded = 9,

    /// <summary>The CSR's subject CN is not the enrolling device's id (403).</summary>
    SubjectMismatch = 10,

    /// <summary>The body is not base64 of a DER PKCS#10 request (400).</summary>
    MalformedRequest = 11,

    /// <summary>The CSR's self-signature does not verify with its own key: no proof of possession (400).</summary>
    SignatureInvalid = 12,

    /// <summary>The CSR's key is not one devices may use (400).</summary>
    UnsupportedKey = 13,

    /// <summary>The request has a body where none is allowed (400).</summary>
    UnexpectedBody = 14,

    /// <summary>The body is not application/pkcs10 (415).</summary>
    UnsupportedMediaType = 15,

    /// <summary>The body is larger than allowed (413).</summary>
    BodyTooLarge = 16,

    /// <summary>The path does not take this method (405, with Allow).</summary>
    MethodNotAllowed = 17,

    /// <summary>Another enrolment of the same device is in progress (409).</summary>
    EnrolmentInProgress = 18,

    /// <summary>The device enrolled less than the configured interval ago (429, with Retry-After).</summary>
    RateLimited = 19,

    /// <summary>The signing queue is full or the wait for a slot timed out (503, with Retry-After).</summary>
    Busy = 20,

    /// <summary>The gateway heartbeat secret is sealed (tamper latch set) or missing (503, with Retry-After).</summary>
    SecretUnavailable = 21,

    /// <summary>The device id cannot be used where it is needed (a heartbeat key needs an id starting with a letter or digit) (403).</summary>
    InvalidDeviceId = 22,

    /// <summary>Certificate issuance is stopped: the enclosure was opened and not re-armed, or the tamper switch is not read yet (503, with Retry-After).</summary>
    IssuanceStopped = 23,
}
