namespace IoTSec.Gateway.Broker;

/// <summary>
/// Why the broker refused a connection. Each has one code word (<see cref="ConnectionRefusals.CodeOf"/>)
/// that the metrics label and the audit entries count; the client learns nothing but a TLS
/// alert or an MQTT CONNACK refusal.
/// </summary>
public enum ConnectionRefusal
{
    /// <summary>No client certificate in the TLS handshake.</summary>
    NoCertificate = 1,

    /// <summary>The certificate chains to no gateway intermediate under the offline root (another CA, a forged chain).</summary>
    UntrustedCertificate = 2,

    /// <summary>The certificate or its intermediate is outside its validity (expired, not yet valid).</summary>
    CertificateOutsideValidity = 3,

    /// <summary>The certificate or its intermediate is revoked.</summary>
    CertificateRevoked = 4,

    /// <summary>Not a device client certificate (wrong usage, CN not a device id).</summary>
    WrongCertificateUsage = 5,

    /// <summary>A good certificate, but no device of the inventory owns it.</summary>
    UnknownDevice = 6,

    /// <summary>The device is revoked or decommissioned.</summary>
    DeviceClosed = 7,

    /// <summary>The MQTT client id is not the device id of the certificate.</summary>
    ClientIdMismatch = 8,

    /// <summary>The TLS handshake failed or timed out before a certificate was judged (old protocol, garbage, stall).</summary>
    HandshakeFailed = 9,

    /// <summary>The connection limit was reached.</summary>
    TooManyConnections = 10,

    /// <summary>An operational certificate the device has since replaced (re-enrolment): only its current one connects.</summary>
    CertificateSuperseded = 11,
}
