using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Provision.Commands;
using IoTSec.Provision.Ledger;
using IoTSec.Provision.Profiles;
using Spectre.Console;

namespace IoTSec.Provision;

/// <summary>
/// The command tree of <c>iotsec-provision</c>, and the one place where a failure becomes
/// "error: …" on standard error with its <see cref="ExitCode"/> instead of a stack trace.
/// Each verb lives in its own file under Commands/.
/// </summary>
public static class ProvisionCommandLine
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results, progress and errors go.</param>
    /// <param name="environment">Environment lookup (the station passphrase may come from it).</param>
    /// <returns>The exit code (see <see cref="ExitCode"/>).</returns>
    public static int Run(string[] args, ToolOutput output, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tool = new ToolContext(output, environment, TimeProvider.System);
        var root = new RootCommand("IoTSec serial provisioning: give a device its identity over its console cable (docs/provisioning.md).")
        {
            PortsCommand.Create(tool),
            InfoCommand.Create(tool),
            ProvisionCommand.Create(tool),
            LockCommand.Create(tool),
            BatchCommand.Create(tool),
            LedgerCommand.Create(tool),
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                output.Error.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }

            return (int)ExitCode.Usage;
        }

        return parse.Invoke();
    }

    /// <summary>Runs a verb's body; every expected failure prints one line and returns its code.</summary>
    internal static int Guard(ToolOutput output, Func<ExitCode> body)
    {
        try
        {
            return (int)body();
        }
        catch (ProvisionException e)
        {
            return Fail(output, e.Code, e.Message);
        }
        catch (ProfileException e)
        {
            return Fail(output, ExitCode.BadInput, e.Message);
        }
        catch (LedgerException e)
        {
            return Fail(output, ExitCode.LedgerInvalid, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(output, ExitCode.BadInput, e.Message);
        }
        catch (CryptographicException e)
        {
            return Fail(output, ExitCode.BadInput, "cryptographic failure: " + e.Message);
        }
    }

    private static int Fail(ToolOutput output, ExitCode code, string message)
    {
        output.Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)} [grey](exit {(int)code} {code})[/]");
        return (int)code;
    }
}

/// <summary>What every verb shares: output, environment, clock.</summary>
internal sealed record ToolContext(ToolOutput Output, Func<string, string?> Environment, TimeProvider Time);
