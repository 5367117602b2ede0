using System;
using System.Diagnostics;
using System.IO;
using IoTSec.Testing;

namespace IoTSec.Cli.Tests;

/// <summary>Runs the real built <c>iotsec</c> (iotsec.dll, copied next to the tests) as a child process.</summary>
internal static class IotsecProcess
{
    public static IotsecResult Run(string workingDirectory, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "iotsec.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("iotsec.dll is not next to the tests; is tools/IoTSec.Cli referenced?", dll);
        }

        // The SDK points DOTNET_HOST_PATH at the muxer that runs the tests.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("iotsec did not finish within 60 s: " + string.Join(' ', arguments));
        }

        return new IotsecResult(process.ExitCode, stdout.Result, stderr);
    }

    public static (int ExitCode, string Output) OpenSsl(params string[] arguments)
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

/// <summary>What one run of <c>iotsec</c> printed and returned.</summary>
internal sealed record IotsecResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
