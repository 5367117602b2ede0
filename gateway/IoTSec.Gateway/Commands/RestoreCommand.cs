using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Backup;
using Spectre.Console;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway restore --in FILE --recovery-key KEY.pem [--force]</c>: opens a backup with
/// the offline recovery key (passphrase from $IOTSEC_RECOVERY_PASSPHRASE, --passphrase-file or
/// a prompt), checks that a gateway of this fleet signed it, and restores it into this
/// gateway, sealing the heartbeat secret into this gateway's own key store. Stop the daemon first.
/// </summary>
internal static class RestoreCommand
{
    /// <summary>Environment variable with the recovery key's passphrase (for scripted restores).</summary>
    public const string PassphraseVariable = "IOTSEC_RECOVERY_PASSPHRASE";

    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "The backup file", Required = true };
        var key = new Option<FileInfo>("--recovery-key") { Description = "The recovery key (encrypted PKCS#8 PEM from the CA ceremony)", Required = true };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = $"Read the recovery key's passphrase from the first line of this file (else ${PassphraseVariable}, else a prompt)" };
        var force = new Option<bool>("--force") { Description = "Replace an inventory that already holds devices (the current databases are kept as *.pre-restore-*)" };
        var command = new Command("restore", "Restore a backup into this gateway (stop the daemon first).") { input, key, passphraseFile, force };
        var store = KeyStoreArguments.AddTo(command);
        command.SetAction(parse => KeyStoreArguments.Run(parse, () =>
        {
            // The directory exists already: keys install (which must come first) made it.
            var data = AdministrationVerb.DataDirectory(parse);
            var root = KeyStoreArguments.TrustedRoot(data);
            using var recoveryKey = ReadKey(parse.GetValue(key)!, parse.GetValue(passphraseFile));
            using var keyStore = store.Open(parse, data);
            using var backup = BackupReader.Open(parse.GetValue(input)!.FullName, recoveryKey, root.Certificate);
            var summary = GatewayBackupRestorer.Restore(backup, data, keyStore.Sealer, parse.GetValue(force), AdministrationVerb.Actor);
            var output = AdministrationVerb.Output(parse);
            output.WriteLine($"restored the backup of '{summary.Manifest.Gateway}' made {summary.Manifest.CreatedAt:u}, signed by '{summary.SignerSubject}' under '{root.Certificate.Subject}'");
            foreach (var file in summary.Manifest.Files)
            {
                output.WriteLine($"  {file.Name,-18} {file.Bytes,12} bytes  verified");
            }

            output.WriteLine($"the heartbeat secret is sealed by this gateway's {keyStore.Backend} key store; audit entry #{summary.RestoreEntry.Sequence} records the restore");
            foreach (var kept in summary.KeptFiles)
            {
                output.WriteLine($"  kept the replaced database as {kept}");
            }

            return 0;
        }));
        return command;
    }

    private static RSA ReadKey(FileInfo file, FileInfo? passphraseFile)
    {
        if (!file.Exists)
        {
            throw new IOException($"the recovery key '{file.FullName}' does not exist");
        }

        var pem = File.ReadAllText(file.FullName);
        if (!pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new BackupRejectedException(BackupRejection.WrongRecoveryKey, $"'{file.FullName}' is not an encrypted PKCS#8 key (the recovery key from `iotsec ca recovery-key`)");
        }

        var passphrase = Passphrase(passphraseFile);
        var key = RSA.Create();
        try
        {
            key.ImportFromEncryptedPem(pem, passphrase);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new BackupRejectedException(BackupRejection.WrongRecoveryKey, $"cannot decrypt the recovery key '{file.FullName}': wrong passphrase, or not an RSA key", e);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new BackupRejectedException(BackupRejection.WrongRecoveryKey, $"'{file.FullName}' is not a readable recovery key: {e.Message}", e);
        }
    }

    private static string Passphrase(FileInfo? file)
    {
        if (file is not null)
        {
            using var reader = file.Exists ? file.OpenText() : throw new IOException($"passphrase file '{file.FullName}' does not exist");
            return reader.ReadLine() ?? string.Empty;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        if (Console.IsInputRedirected)
        {
            throw new IOException($"no passphrase for the recovery key: set ${PassphraseVariable}, give --passphrase-file, or run at a terminal");
        }

        return AnsiConsole.Prompt(new TextPrompt<string>("Recovery key passphrase:").Secret());
    }
}
