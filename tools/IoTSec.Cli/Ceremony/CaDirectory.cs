using System.IO;

namespace IoTSec.Cli.Ceremony;

/// <summary>
/// The offline CA directory (on removable media kept in a safe, used on an air-gapped
/// machine): the root certificate, the encrypted root key, and the issuance log.
/// </summary>
internal sealed class CaDirectory(string path)
{
    /// <summary>The directory.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The root certificate: public, the trust anchor for every device and gateway.</summary>
    public string RootCertificate => System.IO.Path.Combine(Path, "root.pem");

    /// <summary>The root private key, encrypted PKCS#8 PEM (0600).</summary>
    public string RootKey => System.IO.Path.Combine(Path, "root-key.pem");

    /// <summary>One line per certificate the root signed: the record an auditor reads and revocation starts from.</summary>
    public string IssuanceLog => System.IO.Path.Combine(Path, "issued.log");

    /// <summary>The backup recovery certificate (public: every gateway encrypts its backups to it).</summary>
    public string RecoveryCertificate => System.IO.Path.Combine(Path, "recovery.pem");

    /// <summary>The backup recovery key, encrypted PKCS#8 PEM (0600): stays offline with the root key.</summary>
    public string RecoveryKey => System.IO.Path.Combine(Path, "recovery-key.pem");

    /// <summary>Checks that the root certificate and key are both present.</summary>
    public void RequireRoot()
    {
        if (!Directory.Exists(Path))
        {
            throw new CliError($"CA directory '{Path}' does not exist (make one with 'iotsec ca init --out {Path}')");
        }

        foreach (var file in new[] { RootCertificate, RootKey })
        {
            if (!File.Exists(file))
            {
                throw new CliError($"'{file}' is missing: '{Path}' is not a CA directory made by 'iotsec ca init'");
            }
        }
    }
}
