using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Provision.Ledger;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary><c>iotsec-provision ledger verify --ledger FILE --station-certificate station.pem</c>.</summary>
internal static class LedgerCommand
{
    public static Command Create(ToolContext tool)
    {
        var ledger = new Option<FileInfo>("--ledger") { Description = "The birth ledger (JSON lines)", Required = true };
        var certificate = new Option<FileInfo>("--station-certificate") { Description = "The station certificate (PEM) whose key signed the records", Required = true };
        var verify = new Command("verify", "Check every record's signature, station, sequence and chain; exit 10 at the first bad one.") { ledger, certificate };
        verify.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            X509Certificate2 station;
            try
            {
                station = X509Certificate2.CreateFromPem(File.ReadAllText(parse.GetRequiredValue(certificate).FullName));
            }
            catch (CryptographicException e)
            {
                throw new ProvisionException(ExitCode.BadInput, $"--station-certificate: no PEM certificate: {e.Message}", e);
            }

            using (station)
            {
                BirthRecord[] records = BirthLedger.Verify(parse.GetRequiredValue(ledger).FullName, station);
                tool.Output.Out.MarkupLine($"[green]ledger verified[/]: {records.Length} record(s), all signed by station {Markup.Escape(station.Subject)}, chain intact");
            }

            return ExitCode.Ok;
        }));
        return new Command("ledger", "The signed birth-record ledger.") { verify };
    }
}
