using System;
using System.CommandLine;
using System.IO;
using IoTSec.Provision.Ledger;
using IoTSec.Provision.Profiles;
using IoTSec.Provision.Provisioning;
using IoTSec.Provision.Station;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary><c>iotsec-provision provision --port P --profile FILE --station DIR</c>: gives one device its identity and records its birth.</summary>
internal static class ProvisionCommand
{
    public static Command Create(ToolContext tool)
    {
        var device = new DeviceOptions();
        var profile = new Option<FileInfo>("--profile") { Description = "Provisioning profile (YAML): device class, gateway, heartbeat, trust anchors", Required = true };
        var station = new Option<DirectoryInfo>("--station") { Description = $"Station directory holding {StationAuthority.CertificateFile} and {StationAuthority.KeyFile}", Required = true };
        var passphrase = new Option<FileInfo?>("--station-passphrase-file") { Description = $"First line is the station key's passphrase (otherwise {StationPassphrase.EnvironmentVariable})" };
        var ledger = new Option<FileInfo?>("--ledger") { Description = $"Birth ledger to append to (default: {StationAuthority.LedgerFile} in the station directory)" };
        var operatorName = new Option<string?>("--operator") { Description = "Who provisions (default: the account running the tool)" };
        var replace = new Option<bool>("--replace") { Description = "Give a new identity to a device that is already provisioned" };
        var command = new Command("provision", "Generate the birth key, issue the birth certificate, write key, certificate, anchors and configuration, commit, verify, record.")
        {
            profile, station, passphrase, ledger, operatorName, replace,
        };
        device.AddTo(command);
        command.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            // Everything that can be checked without the device is checked first, so a bad
            // profile or a locked station never leaves a unit half-written.
            ProvisioningProfile loaded = ProfileReader.Read(parse.GetRequiredValue(profile).FullName);
            string stationDirectory = parse.GetRequiredValue(station).FullName;
            using var authority = StationAuthority.Open(stationDirectory, StationPassphrase.Read(parse.GetValue(passphrase), tool.Environment), tool.Time.GetUtcNow());
            string ledgerPath = parse.GetValue(ledger)?.FullName ?? Path.Combine(stationDirectory, StationAuthority.LedgerFile);

            using var connection = device.Open(parse);

            // A technician at the bench may provision a development unit that lacks hardening;
            // the birth record states what the unit reported either way.
            var line = new StationLine(tool, authority, loaded, ledgerPath, parse.GetValue(operatorName) ?? Environment.UserName);
            line.ProvisionOne(connection, parse.GetValue(replace), requireHardening: false);
            return ExitCode.Ok;
        }));
        return command;
    }
}
