using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// The TLS decisions of <see cref="MqttNetLink"/>: the device's certificate from its DER
/// certificate and PKCS#8 key, and the rule for the broker's certificate: it must chain to
/// the provisioned trust anchor alone (not the machine's CA store) and name the host, as
/// mbedTLS with one CA certificate checks it on the device. Never trust on first use.
/// </summary>
public static class MqttNetLinkTrust
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";

    /// <summary>The client certificate with its private key, for SslStream.</summary>
    /// <param name="credentials">DER certificate and PKCS#8 key.</param>
    /// <returns>A certificate with a private key (the caller disposes it).</returns>
    /// <exception cref="NetworkException">The certificate or key cannot be used (the message names which).</exception>
    public static X509Certificate2 ClientCertificate(TlsClientCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(credentials.Certificate);
            switch (certificate.GetKeyAlgorithm())
            {
                case EcPublicKeyOid:
                    {
                        using var key = ECDsa.Create();
                        key.ImportPkcs8PrivateKey(credentials.PrivateKey, out _);
                        return certificate.CopyWithPrivateKey(key);
                    }

                case RsaOid:
                    {
                        using var key = RSA.Create();
                        key.ImportPkcs8PrivateKey(credentials.PrivateKey, out _);
                        return certificate.CopyWithPrivateKey(key);
                    }

                default:
                    throw new NetworkException($"device certificate key algorithm {certificate.GetKeyAlgorithm()} is not supported (EC or RSA)");
            }
        }
        catch (CryptographicException e)
        {
            // The message never includes key material.
            throw new NetworkException("the device certificate or its private key cannot be used: " + e.Message, e);
        }
    }

    /// <summary>True when the server's certificate names the host and chains to <paramref name="trustAnchor"/> only.</summary>
    /// <param name="server">The certificate the server presented.</param>
    /// <param name="presented">The chain the TLS stack built (its intermediates are used as candidates only).</param>
    /// <param name="errors">The TLS stack's findings (a name mismatch or a missing certificate refuses).</param>
    /// <param name="trustAnchor">The provisioned gateway root.</param>
    /// <returns>True to accept.</returns>
    public static bool IsTrustedServer(X509Certificate? server, X509Chain? presented, SslPolicyErrors errors, X509Certificate2 trustAnchor)
    {
        ArgumentNullException.ThrowIfNull(trustAnchor);
        if (server is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(server.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
        // The device has no revocation source of its own; the gateway revokes devices, and the
        // gateway's own certificate is short-lived.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
