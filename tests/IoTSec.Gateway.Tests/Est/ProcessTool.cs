using System.Diagnostics;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>Runs a foreign program (curl, openssl) in a working directory and collects its output.</summary>
internal static class ProcessTool
{
    public static (int ExitCode, string Output, string Error) Run(string executable, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
