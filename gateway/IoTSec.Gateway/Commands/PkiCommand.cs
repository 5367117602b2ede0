using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway pki crl --out FILE [--format pem|der]</c>: exports the CRL of this
/// gateway's intermediate, signed now by the DeviceCa key (the same CRL the daemon serves at
/// GET /crl), for relying parties that do not talk to the gateway.
/// </summary>
internal static class PkiCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the CRL (replaced atomically)", Required = true };
        var format = new Option<string>("--format") { Description = "pem or der", DefaultValueFactory = _ => "pem" };
        format.AcceptOnlyFromAmong("pem", "der");
        var crl = new Command("crl", "Export the CRL of this gateway's intermediate, signed by the DeviceCa key.") { output, format };
        var store = KeyStoreArguments.AddTo(crl);
        crl.SetAction(parse => KeyStoreArguments.Run(parse, () =>
        {
            var data = AdministrationVerb.DataDirectory(parse);
            using var keyStore = store.Open(parse, data);
            using var authority = KeyStoreArguments.OpenAuthority(data, keyStore);
            using var inventory = DeviceInventory.Open(data.InventoryDatabase);
            using var publisher = new RevocationListPublisher(authority, inventory);
            var der = publisher.Current();
            var bytes = parse.GetValue(format) == "der" ? der : Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", der) + "\n");
            var path = parse.GetValue(output)!.FullName;
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                File.WriteAllBytes(temporary, bytes);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            var entries = inventory.ListRevokedCertificates(authority.Intermediate.SubjectName.Name).Count;
            AdministrationVerb.Output(parse).WriteLine($"wrote {path}: CRL of '{authority.Intermediate.Subject}' with {entries} revoked certificate(s)");
            return 0;
        }));

        var pki = new Command("pki", "The gateway's public PKI artefacts (CRL).");
        pki.Subcommands.Add(crl);
        return pki;
    }
}
