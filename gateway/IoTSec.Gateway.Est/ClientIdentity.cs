using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Est;

/// <summary>Which of a device's identities a TLS client presented.</summary>
public enum ClientCertificateKind
{
    /// <summary>A certificate whose chain is good but that no device in the inventory owns.</summary>
    Unregistered = 0,

    /// <summary>The device's birth certificate (from manufacturing): first enrolment only.</summary>
    Birth = 1,

    /// <summary>An operational certificate this gateway (or a predecessor under the same root) issued.</summary>
    Operational = 2,
}

/// <summary>Who is on the other end of a TLS connection, as resolved once at its handshake.</summary>
public sealed class ClientIdentity
{
    internal ClientIdentity(ClientCertificateKind kind, string? deviceId, X509Certificate2 certificate)
    {
        Kind = kind;
        DeviceId = deviceId;
        Certificate = certificate;
        Sha256 = Fingerprint(certificate);
    }

    /// <summary>Birth, operational or unregistered.</summary>
    public ClientCertificateKind Kind { get; }

    /// <summary>The device (null when unregistered).</summary>
    public string? DeviceId { get; }

    /// <summary>The client certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate's DER, lower-case hex: how the inventory names it.</summary>
    public string Sha256 { get; }

    /// <summary>SHA-256 of a certificate's DER, lower-case hex.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <summary>For logs: "birth certificate of dev-1".</summary>
    public override string ToString() => Kind switch
    {
        ClientCertificateKind.Birth => $"birth certificate of {DeviceId}",
        ClientCertificateKind.Operational => $"operational certificate of {DeviceId}",
        _ => "unregistered certificate " + Sha256,
    };
}
