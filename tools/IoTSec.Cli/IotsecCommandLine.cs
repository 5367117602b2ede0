using System.CommandLine;
using IoTSec.Cli.Commands;

namespace IoTSec.Cli;

/// <summary>The command tree of <c>iotsec</c>. Each verb group lives in its own file under Commands/.</summary>
internal static class IotsecCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("IoTSec operator tool: CA ceremony (later: provisioning, releases).");
        root.Subcommands.Add(CaCommand.Create());
        return root;
    }
}
