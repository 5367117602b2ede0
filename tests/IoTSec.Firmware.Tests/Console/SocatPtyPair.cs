using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using IoTSec.Testing;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// A real pseudo-terminal pair made by socat: bytes written to one end come out of the other,
/// through the kernel's tty layer, as over a null-modem cable. Killed on dispose.
/// </summary>
internal sealed class SocatPtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly StringBuilder _diagnostics = new();
    private readonly string _directory;

    public SocatPtyPair()
    {
        string socat = RequiredComponent.Executable("socat", "socat");
        _directory = Directory.CreateTempSubdirectory("iotsec-pty-").FullName;
        EndA = Path.Combine(_directory, "a");
        EndB = Path.Combine(_directory, "b");
        var start = new ProcessStartInfo(socat)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-d", "-d", $"pty,raw,echo=0,link={EndA}", $"pty,raw,echo=0,link={EndB}" })
        {
            start.ArgumentList.Add(argument);
        }

        _socat = Process.Start(start) ?? throw new InvalidOperationException("socat did not start");
        _socat.ErrorDataReceived += (_, e) => { lock (_diagnostics) { _diagnostics.AppendLine(e.Data); } };
        _socat.BeginErrorReadLine();

        // socat creates the links once both pseudo-terminals exist and it is ready to relay.
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(EndA) && File.Exists(EndB) && Diagnostics.Contains("starting data transfer loop", StringComparison.Ordinal)))
        {
            if (_socat.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                string seen = Diagnostics;
                Dispose();
                throw new InvalidOperationException("socat did not create the pseudo-terminal pair: " + seen);
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>One end's path (a link to /dev/pts/N).</summary>
    public string EndA { get; }

    /// <summary>The other end's path.</summary>
    public string EndB { get; }

    public string Diagnostics
    {
        get
        {
            lock (_diagnostics)
            {
                return _diagnostics.ToString();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                _socat.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _socat.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // socat removes its links itself on exit; a race with it is harmless.
        }
    }
}
