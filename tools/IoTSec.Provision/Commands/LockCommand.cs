using System.CommandLine;
using IoTSec.Protocol.Provisioning;
using Spectre.Console;

namespace IoTSec.Provision.Commands;

/// <summary><c>iotsec-provision lock --port P</c>: closes the console for writes until a factory reset at the rework bench.</summary>
internal static class LockCommand
{
    public static Command Create(ToolContext tool)
    {
        var device = new DeviceOptions();
        var command = new Command("lock", "Lock provisioning: the device refuses every write until a factory reset with its rework strap held.");
        device.AddTo(command);
        command.SetAction(parse => ProvisionCommandLine.Guard(tool.Output, () =>
        {
            using var connection = device.Open(parse);
            DeviceInfo info = connection.Run(c => c.GetInfo());
            if (info.Lock == ProvisioningLock.Locked)
            {
                throw new ProvisionException(ExitCode.Locked, $"device {info.HardwareId} is already locked");
            }

            if (info.Lifecycle == LifecycleState.Unprovisioned)
            {
                // Locking a blank unit would make it useless until rework; never what was meant.
                throw new ProvisionException(ExitCode.DeviceRefused, $"device {info.HardwareId} is not provisioned; provision it before locking it");
            }

            // The device checks the hardware id is its own, so a lock never lands on a unit swapped on the cable.
            connection.Run(c => c.Lock(info.HardwareId));
            DeviceInfo after = connection.Run(c => c.GetInfo());
            if (after.Lock != ProvisioningLock.Locked)
            {
                throw new ProvisionException(ExitCode.NotReadBack, $"device {info.HardwareId} acknowledged the lock but reports {after.Lock}");
            }

            tool.Output.Out.MarkupLine($"device {info.HardwareId}: [green]locked[/]");
            return ExitCode.Ok;
        }));
        return command;
    }
}
