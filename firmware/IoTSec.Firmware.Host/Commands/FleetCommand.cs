using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using IoTSec.Firmware.Host.Simulation;

namespace IoTSec.Firmware.Host.Commands;

/// <summary><c>iotsec-device fleet --count N --flash-root DIR</c>: N provisioned simulated devices in one process, a thread each.</summary>
internal static class FleetCommand
{
    private static readonly Option<int> Count = new("--count")
    {
        Description = "Number of devices: DIR/device-000 … DIR/device-(N-1)",
        Required = true,
    };

    private static readonly Option<DirectoryInfo> FlashRoot = new("--flash-root")
    {
        Description = "The directory holding one provisioned flash directory per device",
        Required = true,
    };

    private static readonly Option<string> Board = new("--board")
    {
        Description = "The board name every device reports",
        DefaultValueFactory = _ => "desktop",
    };

    private static readonly Option<int> StaggerMs = new("--stagger-ms")
    {
        Description = "Pause between device starts, milliseconds",
        DefaultValueFactory = _ => 50,
    };

    private static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print every device's log (otherwise a census of the fleet every 5 s)",
    };

    public static Command Create()
    {
        var command = new Command("fleet", "Run N simulated devices in one process until Ctrl-C.")
        {
            Count, FlashRoot, Board, StaggerMs, Verbose,
        };
        command.SetAction(Execute);
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var count = parse.GetValue(Count);
        if (count is < 1 or > 10_000)
        {
            error.WriteLine("iotsec-device: --count is 1 to 10000");
            return 1;
        }

        var root = parse.GetRequiredValue(FlashRoot).FullName;
        var directories = Enumerable.Range(0, count).Select(i => SimulatedFleet.FlashDirectoryOf(root, i)).ToList();
        var missing = directories.Where(d => !SimulatedDevice.IsProvisioned(d)).ToList();
        if (missing.Count > 0)
        {
            error.WriteLine($"iotsec-device: {missing.Count} of {count} devices are not provisioned, first {missing[0]}.");
            error.WriteLine(RunCommand.NotProvisionedMessage(missing[0]));
            return DeviceCommandLine.NotProvisioned;
        }

        var verbose = parse.GetValue(Verbose);
        var devices = directories.Select(d => new SimulatedDevice(d, verbose ? new TextDeviceLog(output, Path.GetFileName(d)) : NullDeviceLog.Instance)
        {
            BoardName = parse.GetRequiredValue(Board),
        }).ToList();
        using var signal = new ShutdownSignal();
        using var fleet = new SimulatedFleet(devices);
        fleet.Start(TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(StaggerMs))));
        while (!signal.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)))
        {
            if (!verbose)
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} " + string.Join(", ", fleet.Census().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
            }
        }

        fleet.Stop(TimeSpan.FromSeconds(10));
        return 0;
    }
}
