using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Threading;
using IoTSec.Provision.Profiles;
using IoTSec.Provision.Provisioning;
using IoTSec.Provision.Serial;
using IoTSec.Provision.Station;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary>
/// <c>iotsec-provision batch</c>: the factory line. Watches the port patterns, provisions each
/// unit that appears (by hardware id, once per run), keeps a running tally, and prints a
/// summary. A failed unit never stops the line; a station or ledger failure does, since no
/// unit may leave without its birth record.
/// </summary>
internal static class BatchCommand
{
    public static Command Create(ToolContext tool)
    {
        var profile = new Option<FileInfo>("--profile") { Description = "Provisioning profile (YAML)", Required = true };
        var station = new Option<DirectoryInfo>("--station") { Description = $"Station directory holding {StationAuthority.CertificateFile} and {StationAuthority.KeyFile}", Required = true };
        var passphrase = new Option<FileInfo?>("--station-passphrase-file") { Description = $"First line is the station key's passphrase (otherwise {StationPassphrase.EnvironmentVariable})" };
        var ledger = new Option<FileInfo?>("--ledger") { Description = $"Birth ledger to append to (default: {StationAuthority.LedgerFile} in the station directory)" };
        var operatorName = new Option<string?>("--operator") { Description = "Who runs the line (default: the account running the tool)" };
        var scan = new Option<string[]>("--scan") { Description = "Port patterns to watch (default: /dev/ttyUSB* and /dev/ttyACM*); repeatable" };
        var units = new Option<int>("--units") { Description = "Stop after this many units were attempted (0: run until --idle-seconds or Ctrl-C)" };
        var idle = new Option<int>("--idle-seconds") { Description = "Stop when no new unit appeared for this long (0: never)" };
        var poll = new Option<int>("--poll-ms") { Description = "Milliseconds between scans of the ports", DefaultValueFactory = _ => 500 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Milliseconds to wait for each answer", DefaultValueFactory = _ => ConnectionSettings.Default.ResponseTimeoutMs };
        var retries = new Option<int>("--retries") { Description = "Retransmissions per request before a unit's link is declared failed", DefaultValueFactory = _ => ConnectionSettings.Default.RetryCount };
        var command = new Command("batch", "Factory-line mode: provision each unit that appears on the watched ports, with a running tally and a summary.")
        {
            profile, station, passphrase, ledger, operatorName, scan, units, idle, poll, timeout, retries,
        };
        command.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            ProvisioningProfile loaded = ProfileReader.Read(parse.GetRequiredValue(profile).FullName);
            string stationDirectory = parse.GetRequiredValue(station).FullName;
            using var authority = StationAuthority.Open(stationDirectory, StationPassphrase.Read(parse.GetValue(passphrase), tool.Environment), tool.Time.GetUtcNow());
            string ledgerPath = parse.GetValue(ledger)?.FullName ?? Path.Combine(stationDirectory, StationAuthority.LedgerFile);
            var line = new StationLine(tool, authority, loaded, ledgerPath, parse.GetValue(operatorName) ?? Environment.UserName);
            string[] patterns = parse.GetValue(scan) is { Length: > 0 } given ? given : PortPatterns.LinuxUsbSerial;
            var settings = new ConnectionSettings(Math.Clamp(parse.GetValue(timeout), 50, 60_000), Math.Clamp(parse.GetValue(retries), 0, 20));
            var limits = new BatchLimits(Math.Max(0, parse.GetValue(units)), TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(idle))), TimeSpan.FromMilliseconds(Math.Clamp(parse.GetValue(poll), 20, 60_000)));

            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // Finish the unit in hand; a half-written unit would need rework.
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                if (!loaded.Development)
                {
                    tool.Output.Out.MarkupLine("production profile: units must report secure boot, flash encryption and closed debug ports");
                }

                List<UnitOutcome> outcomes = Run(tool, line, loaded, patterns, settings, limits, stop.Token);
                return Summarise(tool.Output.Out, outcomes);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return command;
    }

    private static List<UnitOutcome> Run(ToolContext tool, StationLine line, ProvisioningProfile profile, string[] patterns, ConnectionSettings settings, BatchLimits limits, CancellationToken stop)
    {
        var console = tool.Output.Out;
        var outcomes = new List<UnitOutcome>();
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var reportedWrong = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset lastNew = tool.Time.GetUtcNow();
        console.MarkupLine($"watching {Markup.Escape(string.Join(", ", patterns))}");
        while (!stop.IsCancellationRequested && (limits.Units == 0 || outcomes.Count < limits.Units))
        {
            foreach (string port in Ports(patterns))
            {
                if (stop.IsCancellationRequested || (limits.Units != 0 && outcomes.Count >= limits.Units))
                {
                    break;
                }

                DeviceConnection connection;
                try
                {
                    connection = DeviceConnection.Open(port, settings);
                }
                catch (ProvisionException e) when (e.Code is ExitCode.NoDevice or ExitCode.WrongDevice or ExitCode.LinkFailed)
                {
                    if (e.Code != ExitCode.NoDevice && reportedWrong.Add(port))
                    {
                        console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(port)}: {Markup.Escape(e.Message)}");
                    }

                    continue;
                }

                using (connection)
                {
                    if (!handled.Add(connection.HardwareId))
                    {
                        continue;
                    }

                    lastNew = tool.Time.GetUtcNow();
                    try
                    {
                        var unit = line.ProvisionOne(connection, replace: false, requireHardening: !profile.Development);
                        outcomes.Add(new UnitOutcome(connection.HardwareId, port, ExitCode.Ok, unit.CertificateSha256));
                    }
                    catch (ProvisionException e) when (e.Code != ExitCode.StationRefused)
                    {
                        // The unit goes to the rework bin; the line goes on.
                        outcomes.Add(new UnitOutcome(connection.HardwareId, port, e.Code, e.Message));
                        console.MarkupLine($"device {Markup.Escape(connection.HardwareId)}: [red]failed[/] (exit {(int)e.Code} {e.Code}): {Markup.Escape(e.Message)}");
                    }
                }

                int ok = outcomes.FindAll(o => o.Code == ExitCode.Ok).Count;
                console.MarkupLine($"tally: {ok} provisioned, {outcomes.Count - ok} failed");
            }

            if (limits.Idle > TimeSpan.Zero && tool.Time.GetUtcNow() - lastNew >= limits.Idle)
            {
                console.MarkupLine($"no new unit for {limits.Idle.TotalSeconds:0} s; stopping");
                break;
            }

            if (limits.Units == 0 || outcomes.Count < limits.Units)
            {
                stop.WaitHandle.WaitOne(limits.Poll);
            }
        }

        return outcomes;
    }

    private static IEnumerable<string> Ports(string[] patterns)
    {
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string pattern in patterns)
        {
            ports.UnionWith(PortPatterns.Expand(pattern));
        }

        return ports;
    }

    private static ExitCode Summarise(IAnsiConsole console, List<UnitOutcome> outcomes)
    {
        var table = new Table().AddColumn("hardware id").AddColumn("port").AddColumn("result").AddColumn("detail");
        int failed = 0;
        foreach (var outcome in outcomes)
        {
            bool ok = outcome.Code == ExitCode.Ok;
            failed += ok ? 0 : 1;
            table.AddRow(
                Markup.Escape(outcome.HardwareId),
                Markup.Escape(outcome.Port),
                ok ? "[green]provisioned[/]" : $"[red]{outcome.Code} ({(int)outcome.Code})[/]",
                Markup.Escape(outcome.Detail));
        }

        console.Write(table);
        console.MarkupLine($"summary: {outcomes.Count - failed} provisioned, {failed} failed");
        return failed == 0 ? ExitCode.Ok : ExitCode.BatchHadFailures;
    }

    private sealed record BatchLimits(int Units, TimeSpan Idle, TimeSpan Poll);

    private sealed record UnitOutcome(string HardwareId, string Port, ExitCode Code, string Detail);
}
