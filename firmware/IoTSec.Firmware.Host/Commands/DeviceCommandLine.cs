using System.CommandLine;

namespace IoTSec.Firmware.Host.Commands;

/// <summary>The command tree of <c>iotsec-device</c> (docs/firmware/device-runtime.md).</summary>
internal static class DeviceCommandLine
{
    /// <summary>Exit code of a device that cannot run because it has no identity yet.</summary>
    public const int NotProvisioned = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand("IoTSec simulated device: the real firmware core over a flash directory, SslStream and MQTTnet.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(FleetCommand.Create());
        return root;
    }
}
