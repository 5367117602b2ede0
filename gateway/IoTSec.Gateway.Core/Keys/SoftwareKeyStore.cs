using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// The software key store: ECDSA P-256 keys as PKCS#8 PEM files in a 0700 directory, each
/// file 0600. Anyone who can read the directory (root, a backup, a stolen SD card) has the
/// keys, so it exists only for development and the gateway's embedded defaults, and must be
/// allowed explicitly; the host logs <see cref="Warning"/> whenever it is used.
/// </summary>
public sealed class SoftwareKeyStore : IGatewayKeyStore
{
    /// <summary>The warning the host logs (at warning level, on every start) when this backend is in use.</summary>
    public const string Warning =
        "SOFTWARE KEY STORE IN USE: the gateway's private keys and sealed secrets are plain files on disk. " +
        "Anyone who can read the data directory or the SD card can impersonate this gateway and issue device " +
        "certificates. Use the TPM backend in production (iotsec-gateway keys init).";

    /// <summary>Name of the backend in logs and status output.</summary>
    public const string BackendName = "software";

    private readonly string _directory;
    private readonly SoftwareSecretSealer _sealer;

    /// <summary>Opens (creating it 0700 if needed) the key directory <paramref name="directory"/>.</summary>
    /// <param name="directory">The key directory, e.g. <c>&lt;data-dir&gt;/keys</c>.</param>
    /// <param name="allowSoftwareKeys">The configuration's explicit permission; without it the constructor throws.</param>
    /// <exception cref="GatewayKeyStoreException">Software keys are not allowed, or the directory is open to group or others.</exception>
    public SoftwareKeyStore(string directory, bool allowSoftwareKeys)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!allowSoftwareKeys)
        {
            throw new GatewayKeyStoreException(
                "the software key store is not allowed by the configuration; use the TPM backend, or allow software keys for development");
        }

        _directory = Path.GetFullPath(directory);
        SoftwareKeyFile.EnsurePrivateDirectory(_directory);
        _sealer = new SoftwareSecretSealer(_directory);
    }

    /// <inheritdoc />
    public string Backend => BackendName;

    /// <inheritdoc />
    public bool IsHardwareBacked => false;

    /// <summary>The key directory.</summary>
    public string Directory => _directory;

    /// <inheritdoc />
    public ISecretSealer Sealer => _sealer;

    /// <summary>The file that holds the key of <paramref name="role"/>.</summary>
    public string KeyPath(GatewayKeyRole role) => role switch
    {
        GatewayKeyRole.Identity => Path.Combine(_directory, "identity.key.pem"),
        GatewayKeyRole.DeviceCa => Path.Combine(_directory, "device-ca.key.pem"),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown key role"),
    };

    /// <inheritdoc />
    public bool Exists(GatewayKeyRole role) => File.Exists(KeyPath(role));

    /// <inheritdoc />
    public void Create(GatewayKeyRole role)
    {
        var path = KeyPath(role);
        if (File.Exists(path))
        {
            throw new GatewayKeyStoreException($"the {role} key already exists at '{path}'");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var bytes = Encoding.ASCII.GetBytes(pem);
        try
        {
            SoftwareKeyFile.WritePrivate(path, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <inheritdoc />
    public ECDsa Open(GatewayKeyRole role)
    {
        var path = KeyPath(role);
        if (!File.Exists(path))
        {
            throw new GatewayKeyStoreException($"the {role} key does not exist (expected '{path}')");
        }

        var bytes = SoftwareKeyFile.ReadPrivate(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(Encoding.ASCII.GetString(bytes));
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new GatewayKeyStoreException($"the {role} key in '{path}' is not an ECDSA P-256 key");
            }

            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new GatewayKeyStoreException($"the {role} key in '{path}' is damaged: {ex.Message}", ex);
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

    /// <inheritdoc />
    public byte[] ExportSubjectPublicKeyInfo(GatewayKeyRole role)
    {
        using var key = Open(role);
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Nothing to release: keys are opened per call.</summary>
    public void Dispose()
    {
    }
}
