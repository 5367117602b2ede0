using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The gateway's half of the CA ceremony: a PKCS#10 request signed by its DeviceCa key (in the
/// TPM, or the software key store), which an operator carries to the offline root.
/// </summary>
public static class GatewayIntermediateRequest
{
    /// <summary>The default intermediate subject: <c>CN=&lt;gatewayName&gt; Device CA, O=IoTSec</c>.</summary>
    public static X500DistinguishedName DefaultSubject(string gatewayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayName);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(gatewayName + " Device CA");
        builder.AddOrganizationName("IoTSec");
        return builder.Build();
    }

    /// <summary>Makes the request PEM for the key store's DeviceCa key.</summary>
    public static string CreatePem(IGatewayKeyStore keyStore, X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(keyStore);
        using var key = keyStore.Open(GatewayKeyRole.DeviceCa);
        return CreatePem(key, subject);
    }

    /// <summary>
    /// Makes the request PEM for <paramref name="deviceCaKey"/>. The requested extensions are a
    /// courtesy for people reading the CSR; the root ignores them and applies its own template.
    /// </summary>
    public static string CreatePem(ECDsa deviceCaKey, X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(deviceCaKey);
        ArgumentNullException.ThrowIfNull(subject);

        // SHA-256 whatever the key: the TPM provider signs nothing else (ARCHITECTURE).
        var request = new CertificateRequest(subject, deviceCaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSigningRequestPem();
    }
}
