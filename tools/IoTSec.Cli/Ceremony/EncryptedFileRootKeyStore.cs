using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTSec.Cli.Ceremony;

/// <summary>
/// The root key as an encrypted PKCS#8 PEM file ("ENCRYPTED PRIVATE KEY": PBES2 with
/// PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC), mode 0600. OpenSSL reads it
/// (<c>openssl pkey -in root-key.pem</c>), so the key is never locked into this tool.
/// </summary>
internal sealed class EncryptedFileRootKeyStore(string path, Func<bool, string> passphrase) : IRootKeyStore
{
    /// <summary>PBKDF2 iterations: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. The root key is opened a few times a year, so a second of work each time is nothing.</summary>
    public const int Iterations = 600_000;

    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);

    public string Description => path;

    public bool Exists => File.Exists(path);

    public ECDsa Create(ECCurve curve)
    {
        if (Exists)
        {
            throw new CliError($"'{path}' already holds a root key; refusing to overwrite it");
        }

        var secret = passphrase(true);
        var key = ECDsa.Create(curve);
        try
        {
            var pem = key.ExportEncryptedPkcs8PrivateKeyPem(secret.AsSpan(), Encryption);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(pem));
                stream.Flush(flushToDisk: true);
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public ECDsa Open()
    {
        if (!Exists)
        {
            throw new CliError($"the root key '{path}' does not exist");
        }

        var pem = File.ReadAllText(path);
        if (!pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new CliError($"'{path}' is not an encrypted PKCS#8 key; the root key must never be stored unencrypted");
        }

        var secret = passphrase(false);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromEncryptedPem(pem, secret.AsSpan());
            return key;
        }
        catch (CryptographicException ex)
        {
            key.Dispose();

            // PBES2 cannot tell a wrong passphrase from a damaged file: both fail the padding check.
            throw new CliError($"cannot decrypt the root key '{path}': wrong passphrase, or the file is damaged", ex);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new CliError($"'{path}' is not a readable root key: {ex.Message}", ex);
        }
    }
}
