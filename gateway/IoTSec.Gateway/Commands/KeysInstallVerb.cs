using System.CommandLine;
using System.IO;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway keys install --root ROOT.pem --intermediate INTERMEDIATE.pem [--recovery-cert recovery.pem]</c>:
/// the last step of the CA ceremony at the gateway. Checks what the daemon checks at start
/// (and the recovery certificate), then writes the files into &lt;data&gt;/pki/ and audits it.
/// </summary>
internal static class KeysInstallVerb
{
    public static Command Create(KeyStoreArguments store)
    {
        var root = new Option<FileInfo>("--root") { Description = "The offline root certificate (root.pem from the ceremony)", Required = true };
        var intermediate = new Option<FileInfo>("--intermediate") { Description = "This gateway's intermediate, signed by `iotsec ca sign`", Required = true };
        var recovery = new Option<FileInfo?>("--recovery-cert") { Description = "The backup recovery certificate (recovery.pem from `iotsec ca recovery-key`)" };
        var command = new Command("install", "Install the CA ceremony's output (root, this gateway's intermediate, recovery certificate) after checking it.")
        {
            root, intermediate, recovery,
        };
        command.SetAction(parse => KeyStoreArguments.Run(parse, () =>
        {
            var data = AdministrationVerb.DataDirectory(parse, create: true);
            using var rootCertificate = PemCertificateFile.Load(parse.GetValue(root)!.FullName);
            using var intermediateCertificate = PemCertificateFile.Load(parse.GetValue(intermediate)!.FullName);
            using var recoveryCertificate = parse.GetValue(recovery) is { } file ? PemCertificateFile.Load(file.FullName) : null;
            using var keyStore = store.Open(parse, data);
            using var audit = AuditLog.Open(data);
            var installed = InstalledHierarchy.Install(data, rootCertificate, intermediateCertificate, recoveryCertificate, keyStore, audit, AdministrationVerb.Actor);
            var output = AdministrationVerb.Output(parse);
            output.WriteLine($"installed the root '{rootCertificate.Subject}' (SHA-256 {InstalledHierarchy.Fingerprint(rootCertificate)}) as {installed.RootPath}");
            output.WriteLine($"installed the intermediate '{intermediateCertificate.Subject}' (valid until {installed.IntermediateNotAfter:u}) as {installed.IntermediatePath}");
            if (installed.RecoveryPath is { } recoveryPath)
            {
                output.WriteLine($"installed the recovery certificate as {recoveryPath}");
            }

            if (installed.ExpiresSoon)
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    $"warning: the intermediate expires on {installed.IntermediateNotAfter:u}, within {InstalledHierarchy.ExpiryWarning.TotalDays:0} days: have the offline root sign a new one");
            }

            output.WriteLine("compare the root's SHA-256 with the ceremony record; restart the daemon to use the new intermediate");
            return 0;
        }));
        return command;
    }
}
