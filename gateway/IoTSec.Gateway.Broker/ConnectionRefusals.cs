using System;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Broker;

/// <summary>The code word of each <see cref="ConnectionRefusal"/> and the mapping from certificate verdicts: one table.</summary>
public static class ConnectionRefusals
{
    /// <summary>The code word: lower-case, hyphenated, stable (metric labels, audit entries, scripts).</summary>
    public static string CodeOf(ConnectionRefusal reason) => reason switch
    {
        ConnectionRefusal.NoCertificate => "client-certificate-required",
        ConnectionRefusal.UntrustedCertificate => "untrusted-certificate",
        ConnectionRefusal.CertificateOutsideValidity => "certificate-outside-validity",
        ConnectionRefusal.CertificateRevoked => "certificate-revoked",
        ConnectionRefusal.WrongCertificateUsage => "wrong-certificate-usage",
        ConnectionRefusal.UnknownDevice => "unknown-device",
        ConnectionRefusal.DeviceClosed => "device-revoked",
        ConnectionRefusal.ClientIdMismatch => "client-id-mismatch",
        ConnectionRefusal.HandshakeFailed => "tls-handshake-failed",
        ConnectionRefusal.TooManyConnections => "too-many-connections",
        ConnectionRefusal.CertificateSuperseded => "certificate-superseded",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown refusal"),
    };

    /// <summary>The refusal for a certificate the gateway's rule refused.</summary>
    public static ConnectionRefusal Of(ClientCertificateRejection rejection) => rejection switch
    {
        ClientCertificateRejection.NoCertificate => ConnectionRefusal.NoCertificate,
        ClientCertificateRejection.UntrustedChain or ClientCertificateRejection.WrongChainLength => ConnectionRefusal.UntrustedCertificate,
        ClientCertificateRejection.Expired or ClientCertificateRejection.NotYetValid => ConnectionRefusal.CertificateOutsideValidity,
        ClientCertificateRejection.Revoked => ConnectionRefusal.CertificateRevoked,
        ClientCertificateRejection.WrongUsage or ClientCertificateRejection.InvalidDeviceId => ConnectionRefusal.WrongCertificateUsage,
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, "not a refusal"),
    };
}
