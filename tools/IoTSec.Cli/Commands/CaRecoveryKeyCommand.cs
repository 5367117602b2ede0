using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using IoTSec.Cli.Ceremony;
using IoTSec.Gateway.Core.Pki;
using Spectre.Console;

namespace IoTSec.Cli.Commands;

/// <summary>
/// <c>iotsec ca recovery-key</c>: makes the backup recovery key pair (RSA-3072) at the ceremony.
/// The root certifies it for backup recovery only; gateways encrypt their backups to
/// <c>recovery.pem</c>; <c>recovery-key.pem</c> (encrypted PKCS#8, its own passphrase) stays
/// offline with the root key and comes out only to restore a gateway.
/// </summary>
internal static class CaRecoveryKeyCommand
{
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, EncryptedFileRootKeyStore.Iterations);

    private static readonly Option<DirectoryInfo> Ca = new("--ca")
    {
        Description = "CA directory made by 'iotsec ca init'",
        Required = true,
    };

    private static readonly Option<FileInfo?> PassphraseFile = new("--passphrase-file")
    {
        Description = "Read the root key's passphrase from the first line of this file (otherwise it is asked for)",
    };

    private static readonly Option<FileInfo?> RecoveryPassphraseFile = new("--recovery-passphrase-file")
    {
        Description = "Read the new recovery key's passphrase from the first line of this file (otherwise it is asked for twice); not the root's",
    };

    public static Command Create()
    {
        var command = new Command("recovery-key", "Make the backup recovery key (RSA-3072), certified by the root for backup recovery only.")
        {
            Ca, PassphraseFile, RecoveryPassphraseFile,
        };
        command.SetAction(parse => CliConsole.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var directory = new CaDirectory(parse.GetRequiredValue(Ca).FullName);
        directory.RequireRoot();
        if (File.Exists(directory.RecoveryCertificate) || File.Exists(directory.RecoveryKey))
        {
            throw new CliError($"'{directory.Path}' already holds a recovery key; refusing to overwrite it (old backups need it)");
        }

        var recoveryPassphrase = PassphraseSource.From(parse.GetValue(RecoveryPassphraseFile), "recovery key")(true);
        using var root = PemCertificateFile.Load(directory.RootCertificate);
        IRootKeyStore keys = new EncryptedFileRootKeyStore(directory.RootKey, PassphraseSource.From(parse.GetValue(PassphraseFile)));
        using var rootKey = keys.Open();
        using var recoveryKey = RSA.Create(RecoveryCertificate.KeySize);
        using var certificate = RecoveryCertificate.Issue(root, rootKey, recoveryKey);

        var pem = Encoding.ASCII.GetBytes(recoveryKey.ExportEncryptedPkcs8PrivateKeyPem(recoveryPassphrase.AsSpan(), Encryption));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(directory.RecoveryKey, options);
            stream.Write(pem);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }

        PemCertificateFile.Save(directory.RecoveryCertificate, certificate);
        File.AppendAllText(directory.IssuanceLog, string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} recovery serial={certificate.SerialNumber} notAfter={certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} subject=\"{certificate.Subject}\"\n"));

        var output = CliConsole.Out;
        output.MarkupLine("[green]Backup recovery key created[/]");
        output.MarkupLine($"  certificate:  {Markup.Escape(directory.RecoveryCertificate)} (give it to every gateway: keys install --recovery-cert)");
        output.MarkupLine($"  key file:     {Markup.Escape(directory.RecoveryKey)} (RSA-{RecoveryCertificate.KeySize}, encrypted; keep it offline with the root key)");
        output.MarkupLine($"  SHA-256:      {certificate.GetCertHashString(HashAlgorithmName.SHA256)}");
        return 0;
    }
}
