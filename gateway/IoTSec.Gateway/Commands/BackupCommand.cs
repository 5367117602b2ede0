using System.CommandLine;
using System.IO;
using IoTSec.Gateway.Core.Backup;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway backup --out FILE [--recovery-cert pki/recovery.pem]</c>: a consistent
/// snapshot of the databases and the heartbeat secret, signed by the gateway's CA key and
/// encrypted to the recovery certificate (docs/operations.md, "Backup and restore").
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "The backup file to write (refused when it exists)", Required = true };
        var recovery = new Option<FileInfo?>("--recovery-cert") { Description = "The recovery certificate to encrypt to [default: <data>/pki/recovery.pem]" };
        var command = new Command("backup", "Write an encrypted, signed backup of the inventory, the audit log and the heartbeat secret.") { output, recovery };
        var store = KeyStoreArguments.AddTo(command);
        command.SetAction(parse => KeyStoreArguments.Run(parse, () =>
        {
            var data = AdministrationVerb.DataDirectory(parse);
            var recoveryPath = parse.GetValue(recovery)?.FullName ?? InstalledHierarchy.RecoveryPath(data);
            if (!File.Exists(recoveryPath))
            {
                return AdministrationVerb.Fail(parse,
                    $"no recovery certificate at '{recoveryPath}': give --recovery-cert, or install it with `iotsec-gateway keys install ... --recovery-cert recovery.pem`");
            }

            using var recoveryCertificate = PemCertificateFile.Load(recoveryPath);
            using var keyStore = store.Open(parse, data);
            using var authority = KeyStoreArguments.OpenAuthority(data, keyStore);
            var summary = GatewayBackupWriter.Write(
                parse.GetValue(output)!.FullName, data, authority, keyStore.Sealer, recoveryCertificate, keyStore.Backend, AdministrationVerb.Actor);
            var text = AdministrationVerb.Output(parse);
            text.WriteLine($"wrote {summary.Path} ({summary.Bytes} bytes, SHA-256 {summary.Sha256})");
            foreach (var file in summary.Manifest.Files)
            {
                text.WriteLine($"  {file.Name,-18} {file.Bytes,12} bytes  sha256 {file.Sha256}");
            }

            text.WriteLine($"signed by '{authority.Intermediate.Subject}', encrypted to '{recoveryCertificate.Subject}'");
            return 0;
        }));
        return command;
    }
}
