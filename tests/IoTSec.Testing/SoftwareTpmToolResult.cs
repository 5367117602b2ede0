using System;

namespace IoTSec.Testing;

/// <summary>The outcome of a tool run against a <see cref="SoftwareTpm"/> (tpm2-tools, openssl, the gateway CLI).</summary>
public sealed class SoftwareTpmToolResult
{
    internal SoftwareTpmToolResult(string commandLine, int exitCode, string standardOutput, string standardError)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
    }

    /// <summary>What was run, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Everything the tool wrote to standard output.</summary>
    public string StandardOutput { get; }

    /// <summary>Everything the tool wrote to standard error.</summary>
    public string StandardError { get; }

    /// <summary>Returns this result when the exit code is 0; throws with the tool's output otherwise.</summary>
    public SoftwareTpmToolResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{CommandLine}` exited with {ExitCode}{Environment.NewLine}stdout: {StandardOutput}{Environment.NewLine}stderr: {StandardError}");
        }

        return this;
    }
}
