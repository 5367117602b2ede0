using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO.Ports;
using IoTSec.Provision.Serial;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary><c>iotsec-provision ports [--scan PATTERN]</c>: the serial ports and which of them answer as an IoTSec device.</summary>
internal static class PortsCommand
{
    public static Command Create(ToolContext tool)
    {
        var scan = new Option<string[]>("--scan")
        {
            Description = "Also probe paths matching this pattern (a directory and a * wildcard, e.g. /tmp/pty/*); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<int>("--timeout-ms")
        {
            Description = "Milliseconds to wait for each port's greeting",
            DefaultValueFactory = _ => 300,
        };
        var command = new Command("ports", "List serial ports and probe each for an IoTSec device.") { scan, timeout };
        command.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            var ports = new SortedSet<string>(SerialPort.GetPortNames(), StringComparer.Ordinal);
            foreach (string pattern in parse.GetValue(scan) ?? [])
            {
                foreach (string path in PortPatterns.Expand(pattern))
                {
                    ports.Add(path);
                }
            }

            var table = new Table().AddColumn("port").AddColumn("device");
            var settings = new ConnectionSettings(Math.Clamp(parse.GetValue(timeout), 50, 10_000), 0);
            foreach (string port in ports)
            {
                table.AddRow(Markup.Escape(port), Markup.Escape(Probe(port, settings)));
            }

            tool.Output.Out.Write(table);
            return ExitCode.Ok;
        }));
        return command;
    }

    private static string Probe(string port, ConnectionSettings settings)
    {
        try
        {
            using var connection = DeviceConnection.Open(port, settings);
            return "IoTSec device " + connection.HardwareId;
        }
        catch (ProvisionException e)
        {
            return e.Code switch
            {
                ExitCode.NoDevice => "-",
                ExitCode.WrongDevice => "not an IoTSec device",
                _ => "error: " + e.Message,
            };
        }
    }
}
