using System;
using System.CommandLine;
using System.IO;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// What the administration verbs (devices, audit) share: the data directory from the
/// global --data-dir option, the actor recorded in the audit log, output through the
/// invocation's writers (so tests capture it), and user errors as one line on stderr with
/// exit code 1 rather than a stack trace.
/// </summary>
internal static class AdministrationVerb
{
    /// <summary>Exit code for a refused or failed operation.</summary>
    public const int Failure = 1;

    /// <summary>
    /// The data directory for this invocation. Only verbs that bring state into being
    /// (<paramref name="create"/>: import) create it (0700); the others refuse a missing one, so
    /// a mistyped --data-dir is reported instead of answered from a new, empty inventory.
    /// </summary>
    public static GatewayDataDirectory DataDirectory(ParseResult parse, bool create = false)
    {
        var directory = GatewayDataDirectory.Resolve(parse.GetValue(GatewayCommandLine.DataDirectory));
        if (create)
        {
            return directory.EnsureExists();
        }

        return Directory.Exists(directory.Root)
            ? directory
            : throw new DirectoryNotFoundException($"data directory '{directory.Root}' does not exist (give --data-dir or set ${GatewayDataDirectory.EnvironmentVariable}; 'devices import' creates it)");
    }

    /// <summary>Who is acting, for the audit log: the local user running the verb.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    /// <summary>Standard output of the invocation.</summary>
    public static TextWriter Output(ParseResult parse) => parse.InvocationConfiguration.Output;

    /// <summary>A Spectre console over the invocation's output (plain text when it is not a terminal).</summary>
    public static IAnsiConsole Console(ParseResult parse) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Output(parse)),
        Ansi = ReferenceEquals(Output(parse), System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ReferenceEquals(Output(parse), System.Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    /// <summary>
    /// Runs <paramref name="body"/> and turns the errors a user can cause (bad input, refused
    /// operations, unreadable files, a locked or damaged database) into "error: …" and exit 1.
    /// </summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InventoryException e)
        {
            return Fail(parse, e.Message);
        }
        catch (AuditLogException e)
        {
            return Fail(parse, e.Message);
        }
        catch (SqliteException e)
        {
            return Fail(parse, "database error: " + e.Message);
        }
        catch (IOException e)
        {
            return Fail(parse, e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(parse, e.Message);
        }
    }

    /// <summary>Writes "error: MESSAGE" to standard error and returns <see cref="Failure"/>.</summary>
    public static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine("error: " + message);
        return Failure;
    }
}
