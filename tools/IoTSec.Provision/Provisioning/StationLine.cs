using System;
using IoTSec.Provision.Ledger;
using IoTSec.Provision.Profiles;
using IoTSec.Provision.Serial;
using IoTSec.Provision.Station;
using Spectre.Console;

namespace IoTSec.Provision.Provisioning;

/// <summary>
/// One station at work: provisions a connected unit with step-by-step progress and appends
/// its signed birth record. Shared by <c>provision</c> (one unit) and <c>batch</c> (the line).
/// </summary>
internal sealed class StationLine(ToolContext tool, StationAuthority station, ProvisioningProfile profile, string ledgerPath, string operatorName)
{
    public ProvisionedUnit ProvisionOne(DeviceConnection connection, bool replace, bool requireHardening)
    {
        var console = tool.Output.Out;
        console.MarkupLine($"device {Markup.Escape(connection.HardwareId)} on {Markup.Escape(connection.Port)}");
        int step = 0;
        ProvisionedUnit unit = new UnitProvisioner(station, profile, tool.Time).Provision(
            connection,
            replace,
            requireHardening,
            message => console.MarkupLine($"  [grey]{++step,2}.[/] {Markup.Escape(message)}"));

        var (sequence, previous) = BirthLedger.Tail(ledgerPath);
        BirthLedger.Append(ledgerPath, BirthRecordFactory.Create(sequence, previous, tool.Time.GetUtcNow(), operatorName, station, profile, unit), station);
        console.MarkupLine($"  [grey]{++step,2}.[/] birth record {sequence} appended to {Markup.Escape(ledgerPath)}");
        console.MarkupLine($"device {Markup.Escape(unit.Info.HardwareId)}: [green]provisioned[/], certificate sha256 {unit.CertificateSha256}");
        return unit;
    }
}
