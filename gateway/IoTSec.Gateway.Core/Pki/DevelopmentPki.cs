using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The PKI of the gateway's embedded defaults: on first start, a development root (its key an
/// unencrypted file in the data directory) and an intermediate for the key store's DeviceCa
/// key, so a laptop run works with no ceremony. The host logs <see cref="Warning"/> every
/// start. Devices provisioned against this root trust nothing else, and nothing in
/// production trusts it.
/// </summary>
public static class DevelopmentPki
{
    /// <summary>The warning the host logs (at warning level, every start) when the development PKI is in use.</summary>
    public const string Warning =
        "DEVELOPMENT PKI IN USE: the root CA key is an unencrypted file in the data directory, so anyone who can " +
        "read it can mint gateways and devices this fleet trusts. Never provision real devices against it; run the " +
        "CA ceremony (iotsec ca init / iotsec ca sign, see docs/operations.md) for production.";

    /// <summary>File name of the development root certificate (the trust anchor to give development devices).</summary>
    public const string RootCertificateFile = "dev-root.pem";

    /// <summary>File name of the development root's unencrypted private key (0600).</summary>
    public const string RootKeyFile = "dev-root.key.pem";

    /// <summary>File name of the gateway intermediate.</summary>
    public const string IntermediateFile = "intermediate.pem";

    /// <summary>
    /// An intermediate that expires within this margin is re-signed at start, so a
    /// development gateway left running for years keeps issuing.
    /// </summary>
    public static readonly TimeSpan IntermediateRenewalMargin = TimeSpan.FromDays(30);

    /// <summary>
    /// Makes what is missing in <paramref name="directory"/> (0700) — the DeviceCa key, the
    /// root, an intermediate for the current DeviceCa key — and returns the authority.
    /// </summary>
    public static DevelopmentPkiResult EnsureCreated(string directory, IGatewayKeyStore keyStore, string gatewayName = "iotsec-dev-gateway", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(keyStore);
        var time = timeProvider ?? TimeProvider.System;
        SoftwareKeyFile.EnsurePrivateDirectory(directory);

        var createdKey = false;
        if (!keyStore.Exists(GatewayKeyRole.DeviceCa))
        {
            keyStore.Create(GatewayKeyRole.DeviceCa);
            createdKey = true;
        }

        var rootPath = Path.Combine(directory, RootCertificateFile);
        var rootKeyPath = Path.Combine(directory, RootKeyFile);
        var intermediatePath = Path.Combine(directory, IntermediateFile);

        var createdRoot = false;
        if (!File.Exists(rootPath) || !File.Exists(rootKeyPath))
        {
            using var newRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var subject = OfflineRootAuthority.DefaultSubject("IoTSec DEVELOPMENT Root CA (not for production)");
            using var newRoot = OfflineRootAuthority.CreateRootCertificate(newRootKey, subject, timeProvider: time);
            WriteKey(rootKeyPath, newRootKey);
            PemCertificateFile.Save(rootPath, newRoot);
            File.Delete(intermediatePath);
            createdRoot = true;
        }

        var root = PemCertificateFile.Load(rootPath);
        var deviceCaKey = keyStore.Open(GatewayKeyRole.DeviceCa);
        try
        {
            var issuedIntermediate = false;
            if (!IntermediateUsable(intermediatePath, deviceCaKey, time))
            {
                using var rootKey = ReadKey(rootKeyPath);
                var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(deviceCaKey, GatewayIntermediateRequest.DefaultSubject(gatewayName)));
                using var intermediate = OfflineRootAuthority.SignGatewayIntermediate(root, rootKey, csr, timeProvider: time);
                PemCertificateFile.Save(intermediatePath, intermediate);
                issuedIntermediate = true;
            }

            var authority = GatewayCertificateAuthority.Create(
                root, PemCertificateFile.Load(intermediatePath), deviceCaKey, time);
            return new DevelopmentPkiResult(authority, rootPath, createdKey, createdRoot, issuedIntermediate);
        }
        catch
        {
            deviceCaKey.Dispose();
            throw;
        }
    }

    private static bool IntermediateUsable(string path, ECDsa deviceCaKey, TimeProvider time)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var intermediate = PemCertificateFile.Load(path);
        var stillValid = time.GetUtcNow() + IntermediateRenewalMargin < intermediate.NotAfter.ToUniversalTime();
        var sameKey = intermediate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(deviceCaKey.ExportSubjectPublicKeyInfo());
        return stillValid && sameKey;
    }

    private static void WriteKey(string path, ECDsa key)
    {
        var bytes = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
        try
        {
            SoftwareKeyFile.WritePrivate(path, bytes, replace: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static ECDsa ReadKey(string path)
    {
        var bytes = SoftwareKeyFile.ReadPrivate(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(Encoding.ASCII.GetString(bytes));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}

/// <summary>What <see cref="DevelopmentPki.EnsureCreated"/> found or made.</summary>
/// <param name="Authority">The issuing authority (owns the DeviceCa key; dispose it).</param>
/// <param name="RootCertificatePath">The development root certificate, to give development devices as their trust anchor.</param>
/// <param name="CreatedDeviceCaKey">True when the DeviceCa key was made now.</param>
/// <param name="CreatedRoot">True when the development root was made now.</param>
/// <param name="IssuedIntermediate">True when a new intermediate was signed now.</param>
public sealed record DevelopmentPkiResult(
    GatewayCertificateAuthority Authority, string RootCertificatePath, bool CreatedDeviceCaKey, bool CreatedRoot, bool IssuedIntermediate);
