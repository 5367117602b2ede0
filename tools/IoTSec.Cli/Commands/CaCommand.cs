using System.CommandLine;

namespace IoTSec.Cli.Commands;

/// <summary><c>iotsec ca</c>: the offline root's ceremony (ADR 0006, docs/operations.md "CA ceremony").</summary>
internal static class CaCommand
{
    public static Command Create()
    {
        var command = new Command("ca", "Offline root CA ceremony: make the root, sign gateway intermediates, make the backup recovery key.");
        command.Subcommands.Add(CaInitCommand.Create());
        command.Subcommands.Add(CaSignCommand.Create());
        command.Subcommands.Add(CaRecoveryKeyCommand.Create());
        return command;
    }
}
