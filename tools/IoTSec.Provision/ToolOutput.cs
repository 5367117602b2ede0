using System;
using System.IO;
using Spectre.Console;

namespace IoTSec.Provision;

/// <summary>Where the tool writes: standard output for results and progress, standard error for errors.</summary>
public sealed class ToolOutput
{
    private ToolOutput(IAnsiConsole output, IAnsiConsole error)
    {
        Out = output;
        Error = error;
    }

    /// <summary>Results and progress.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Errors.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>The process's console.</summary>
    public static ToolOutput ForConsole() =>
        new(Create(Console.Out, Console.IsOutputRedirected), Create(Console.Error, Console.IsErrorRedirected));

    /// <summary>Plain text writers (tests, logs): no colour, no wrapping.</summary>
    public static ToolOutput ForWriters(TextWriter output, TextWriter error) => new(Create(output, true), Create(error, true));

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });

        // Redirected output (scripts, line controllers, tests) must not wrap fingerprints.
        if (redirected)
        {
            console.Profile.Width = 400;
        }

        return console;
    }
}
