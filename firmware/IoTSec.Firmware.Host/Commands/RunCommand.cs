using System;
using System.CommandLine;
using System.IO;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Host.Simulation;
using IoTSec.SerialConsole;

namespace IoTSec.Firmware.Host.Commands;

/// <summary><c>iotsec-device run --flash DIR [--console PORT] [--board NAME]</c>: one simulated device until Ctrl-C.</summary>
internal static class RunCommand
{
    private static readonly Option<DirectoryInfo> Flash = new("--flash")
    {
        Description = "The device's flash directory (created when missing)",
        Required = true,
    };

    private static readonly Option<string?> ConsolePort = new("--console")
    {
        Description = "The provisioning console's serial port: a serial device or one end of a pseudo-terminal pair (socat)",
    };

    private static readonly Option<string> Board = new("--board")
    {
        Description = "The board name reported over the console (a hardware/boards profile name)",
        DefaultValueFactory = _ => "desktop",
    };

    public static Command Create()
    {
        var command = new Command("run", "Run one simulated device until Ctrl-C, rebooting in-process when the firmware restarts.")
        {
            Flash, ConsolePort, Board,
        };
        command.SetAction(Execute);
        return command;
    }

    internal static string NotProvisionedMessage(string flashDirectory) =>
        $"iotsec-device: the device at '{flashDirectory}' is not provisioned (no committed identity on its flash).\n" +
        "Provision it over its console: make a pseudo-terminal pair with\n" +
        "  socat -d -d pty,raw,echo=0 pty,raw,echo=0\n" +
        $"run the device with  iotsec-device run --flash {flashDirectory} --console /dev/pts/A\n" +
        "and drive the other end (/dev/pts/B) with the provisioning tool (birth certificate and key, trust anchors, configuration, commit, lock);\n" +
        "see docs/firmware/console.md and docs/firmware/device-runtime.md. A device with --console waits for its identity instead of exiting.";

    private static int Execute(ParseResult parse)
    {
        var flash = parse.GetRequiredValue(Flash).FullName;
        var portName = parse.GetValue(ConsolePort);
        if (portName is null && !SimulatedDevice.IsProvisioned(flash))
        {
            parse.InvocationConfiguration.Error.WriteLine(NotProvisionedMessage(flash));
            return DeviceCommandLine.NotProvisioned;
        }

        using var signal = new ShutdownSignal();
        using var port = portName is null ? null : new SerialPortChannel(portName);
        var device = new SimulatedDevice(flash, new TextDeviceLog(parse.InvocationConfiguration.Output, Path.GetFileName(flash)))
        {
            BoardName = parse.GetRequiredValue(Board),
            Console = port,
        };
        device.Run(signal.Token);
        return 0;
    }
}
