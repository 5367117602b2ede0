using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// <c>iotsec-gateway</c> as a real child process: <c>dotnet iotsec-gateway.dll</c> (the build
/// output copied next to the tests), its standard output and error collected, stopped with
/// SIGTERM as systemd stops it.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private GatewayProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static GatewayProcess Start(params string[] arguments) => Start(null, arguments);

    /// <summary>Starts it with extra environment variables (a software TPM's, a passphrase), which override inherited ones.</summary>
    public static GatewayProcess Start(System.Collections.Generic.IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var dotnet = RequiredComponent.Executable("dotnet", "the .NET SDK (https://dot.net)");
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsec-gateway.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only the test's own settings: nothing inherited from the machine running the tests.
        foreach (var name in new[] { "IOTSEC_DATA_DIR", "STATE_DIRECTORY", "NOTIFY_SOCKET", "INVOCATION_ID", "WATCHDOG_USEC", "WATCHDOG_PID" })
        {
            start.Environment.Remove(name);
        }

        foreach (var key in start.Environment.Keys)
        {
            if (key.StartsWith("IOTSEC__", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        // Tests run daemons side by side: each gets its own MQTT port unless the test names one
        // (a command-line override still wins over this variable).
        start.Environment["IOTSEC__BROKER__PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new System.Collections.Generic.Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var gateway = new GatewayProcess(process);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output when the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"iotsec-gateway exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"iotsec-gateway did not print '{text}' within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM (what systemd sends) and waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var kill = RequiredComponent.Executable("kill", "procps");
        using (var signal = Process.Start(kill, ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"iotsec-gateway did not exit within {timeout} of SIGTERM:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself (a refused start).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
