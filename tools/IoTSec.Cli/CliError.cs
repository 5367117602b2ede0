using System;

namespace IoTSec.Cli;

/// <summary>A failure the operator can fix (a missing file, a wrong passphrase): printed as one line, no stack trace, exit code 1.</summary>
internal sealed class CliError : Exception
{
    public CliError(string message)
        : base(message)
    {
    }

    public CliError(string message, Exception inner)
        : base(message, inner)
    {
    }
}
