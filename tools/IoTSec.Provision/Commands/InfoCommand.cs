using System;
using System.CommandLine;
using IoTSec.Protocol.Provisioning;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary><c>iotsec-provision info --port P</c>: who the device is and where it is in its life.</summary>
internal static class InfoCommand
{
    public static Command Create(ToolContext tool)
    {
        var device = new DeviceOptions();
        var command = new Command("info", "Show the device's identity, board, firmware, lifecycle, lock state and hardening.");
        device.AddTo(command);
        command.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            using var connection = device.Open(parse);
            DeviceInfo info = connection.Run(c => c.GetInfo());
            Print(tool.Output.Out, info);
            return ExitCode.Ok;
        }));
        return command;
    }

    public static void Print(IAnsiConsole console, DeviceInfo info)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("hardware id", Markup.Escape(info.HardwareId));
        grid.AddRow("board", Markup.Escape(info.Board));
        grid.AddRow("firmware", Markup.Escape(info.FirmwareVersion));
        grid.AddRow("firmware digest", Convert.ToHexStringLower(info.GetFirmwareDigest()));
        grid.AddRow("lifecycle", info.Lifecycle.ToString());
        grid.AddRow("lock", info.Lock.ToString());
        grid.AddRow("staged", info.Staged.ToString());
        grid.AddRow("secure boot", info.SecureBoot.ToString());
        grid.AddRow("flash encryption", info.FlashEncryption.ToString());
        grid.AddRow("debug ports disabled", info.DebugPortsDisabled.ToString());
        grid.AddRow("rework mode", info.ReworkMode ? "yes" : "no");
        console.Write(grid);
    }
}
