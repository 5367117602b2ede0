using System;

namespace IoTSec.Provision;

/// <summary>
/// A failure the tool reports as one line and an <see cref="ExitCode"/>, with no stack trace:
/// every error a technician can meet (no device, locked device, bad profile key) is one.
/// </summary>
public sealed class ProvisionException : Exception
{
    /// <summary>Creates the error.</summary>
    public ProvisionException(ExitCode code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the error with its cause.</summary>
    public ProvisionException(ExitCode code, string message, Exception inner)
        : base(message, inner) => Code = code;

    /// <summary>The exit code the tool returns.</summary>
    public ExitCode Code { get; }
}
