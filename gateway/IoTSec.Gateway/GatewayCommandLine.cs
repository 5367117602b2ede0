using System.CommandLine;
using IoTSec.Gateway.Commands;

namespace IoTSec.Gateway;

/// <summary>The command tree of <c>iotsec-gateway</c>. Each verb lives in its own file under Commands/.</summary>
internal static class GatewayCommandLine
{
    /// <summary>Global option: the data directory (keys, inventory, audit log).</summary>
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = "Data directory (default: $IOTSEC_DATA_DIR, else $STATE_DIRECTORY set by systemd's StateDirectory=, e.g. /var/lib/iotsec, else ./iotsec-data)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("IoTSec gateway daemon: the devices' only way out.");
        root.Options.Add(DataDirectory);
        root.Options.Add(RunCommand.ConfigFile);
        var run = RunCommand.Create();
        root.Subcommands.Add(run);
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(TamperCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create());
        root.Subcommands.Add(PkiCommand.Create());
        root.Subcommands.Add(DevCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        // `iotsec-gateway` with no verb runs the daemon.
        root.SetAction((parse, cancellation) => RunCommand.RunAsync(parse, cancellation));
        return root;
    }
}
