using System.Diagnostics;
using IoTSec.Testing;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>The real openssl command line, a foreign verifier of what we issue.</summary>
internal static class OpenSslTool
{
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var openssl = RequiredComponent.Executable("openssl", "openssl");
        var start = new ProcessStartInfo(openssl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
