using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Provision.Station;

/// <summary>
/// The station's issuing CA: a certificate the manufacturer root signed (CA, path length 0)
/// and its private key, here a passphrase-protected PKCS#8 file (docs/provisioning.md,
/// "Station"). It issues birth certificates and signs birth records. No laptop holds the
/// manufacturer root itself.
/// </summary>
public sealed class StationAuthority : IDisposable
{
    /// <summary>The station certificate's file name in the station directory.</summary>
    public const string CertificateFile = "station.pem";

    /// <summary>The encrypted station key's file name in the station directory.</summary>
    public const string KeyFile = "station.key.pem";

    /// <summary>The default ledger's file name in the station directory.</summary>
    public const string LedgerFile = "birth-ledger.jsonl";

    private readonly ECDsa _key;

    private StationAuthority(string directory, X509Certificate2 certificate, ECDsa key)
    {
        Directory = directory;
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The station directory.</summary>
    public string Directory { get; }

    /// <summary>The station's CA certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 fingerprint of the station certificate, lower-case hex: how birth records name their station.</summary>
    public string Fingerprint => Convert.ToHexStringLower(Certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Opens the station in <paramref name="directory"/> with <paramref name="passphrase"/>.</summary>
    /// <exception cref="ProvisionException"><see cref="ExitCode.BadInput"/> for missing or unreadable files; <see cref="ExitCode.StationRefused"/> for a wrong passphrase, a key that is not the certificate's, a certificate that is no CA or is outside its validity.</exception>
    public static StationAuthority Open(string directory, string passphrase, DateTimeOffset now)
    {
        string certificatePath = Path.Combine(directory, CertificateFile);
        string keyPath = Path.Combine(directory, KeyFile);
        X509Certificate2 certificate;
        string keyPem;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            keyPem = File.ReadAllText(keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ProvisionException(ExitCode.BadInput, $"station '{directory}': cannot read {CertificateFile} and {KeyFile}: {e.Message}", e);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromEncryptedPem(keyPem, passphrase);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            certificate.Dispose();
            throw new ProvisionException(ExitCode.StationRefused, $"station '{directory}': cannot decrypt {KeyFile} (wrong passphrase, or not an encrypted PKCS#8 EC key)", e);
        }

        try
        {
            Check(certificate, key, now, directory);
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }

        return new StationAuthority(directory, certificate, key);
    }

    /// <summary>
    /// Issues a birth certificate for <paramref name="hardwareId"/> over <paramref name="devicePublicKey"/>:
    /// an end entity, digitalSignature, clientAuth, subject and authority key identifiers — the
    /// profile of the gateway's device certificates, which its EST birth rule accepts. It
    /// never outlives the station certificate.
    /// </summary>
    public X509Certificate2 IssueBirthCertificate(string hardwareId, ECDsa devicePublicKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(hardwareId);
        ArgumentNullException.ThrowIfNull(devicePublicKey);
        if (now > Certificate.NotAfter.ToUniversalTime() || now < Certificate.NotBefore.ToUniversalTime())
        {
            throw new ProvisionException(ExitCode.StationRefused, $"the station certificate is valid from {Certificate.NotBefore.ToUniversalTime():u} to {Certificate.NotAfter.ToUniversalTime():u}; it cannot issue now");
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(hardwareId);
        var request = new CertificateRequest(subject.Build(), devicePublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        // Backdated five minutes for device clocks that run slow; capped at the station's end.
        DateTimeOffset notAfter = Certificate.NotAfter.ToUniversalTime();
        byte[] serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        return request.Create(Certificate.SubjectName, generator, now.AddMinutes(-5), notAfter, serial);
    }

    /// <summary>Signs <paramref name="data"/> with the station key (ECDSA, SHA-256, IEEE P1363 r||s).</summary>
    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256);

    /// <summary>Releases the key.</summary>
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private static void Check(X509Certificate2 certificate, ECDsa key, DateTimeOffset now, string directory)
    {
        if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            throw new ProvisionException(ExitCode.StationRefused, $"station '{directory}': {CertificateFile} is not a CA certificate");
        }

        using ECDsa? certified = certificate.GetECDsaPublicKey();
        if (certified is null || !certified.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new ProvisionException(ExitCode.StationRefused, $"station '{directory}': {KeyFile} is not the key of {CertificateFile}");
        }

        if (now > certificate.NotAfter.ToUniversalTime() || now < certificate.NotBefore.ToUniversalTime())
        {
            throw new ProvisionException(ExitCode.StationRefused, $"station '{directory}': the station certificate is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}; renew it at the manufacturer root");
        }
    }
}
