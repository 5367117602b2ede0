using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Spectre.Console;

namespace IoTSec.Cli;

/// <summary>
/// Output and error streams of the tool, and the one place where operator mistakes become
/// "error: …" on stderr with exit code 1 instead of a stack trace.
/// </summary>
internal static class CliConsole
{
    private static readonly Lazy<IAnsiConsole> OutConsole = new(() => Create(Console.Out, Console.IsOutputRedirected), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<IAnsiConsole> ErrorConsole = new(() => Create(Console.Error, Console.IsErrorRedirected), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Standard output.</summary>
    public static IAnsiConsole Out => OutConsole.Value;

    /// <summary>Standard error.</summary>
    public static IAnsiConsole Error => ErrorConsole.Value;

    /// <summary>True when a person can answer prompts (stdin is a terminal).</summary>
    public static bool IsInteractive => !Console.IsInputRedirected;

    /// <summary>Runs a verb's body; operator errors print one line and return 1.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is CliError or SigningRequestRejectedException or GatewayPkiException or GatewayKeyStoreException
                                       or IOException or UnauthorizedAccessException)
        {
            var reason = ex is SigningRequestRejectedException rejected ? $" ({rejected.Reason})" : string.Empty;
            Error.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}{Markup.Escape(reason)}");
            return 1;
        }
        catch (CryptographicException ex)
        {
            Error.MarkupLine($"[red]error:[/] cryptographic failure: {Markup.Escape(ex.Message)}");
            return 1;
        }
    }

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });

        // Redirected output (scripts, logs, tests) must not wrap fingerprints at 80 columns.
        if (redirected)
        {
            console.Profile.Width = 400;
        }

        return console;
    }
}
