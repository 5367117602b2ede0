using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace IoTSec.Testing;

/// <summary>
/// A real software TPM for tests, wired as ARCHITECTURE.md describes: <c>swtpm</c> on free
/// loopback ports with a temporary state directory, a private D-Bus session bus
/// (<c>dbus-daemon</c>), and <c>tpm2-abrmd</c> on that bus as the resource manager (without
/// one the TPM runs out of object slots as soon as OpenSSL duplicates a key).
/// <para>
/// <b>One per test process for in-process use.</b> The OpenSSL tpm2 provider reads
/// TPM2OPENSSL_TCTI once, and the tabrmd TCTI connects to the session bus named by
/// DBUS_SESSION_BUS_ADDRESS — both from the native process environment. Tests run in
/// parallel (class level), so <see cref="Shared"/> starts one instance lazily, sets those
/// variables for the whole process once, and every test that uses a TPM in-process uses it.
/// Persistent handles are process-wide too: take yours from <see cref="NewPersistentHandle"/>.
/// Each test assembly stops it from an [AssemblyCleanup] calling <see cref="ShutdownShared"/>
/// (a ProcessExit hook and <see cref="SoftwareTpmJanitor"/> are the fallbacks).
/// </para>
/// <para>
/// <b>More instances</b> (<see cref="Start"/>) are for child processes (pass
/// <see cref="Environment"/> or use <see cref="ApplyTo"/>) or, started without a resource
/// manager, for in-process tpm2-tss calls through <see cref="Tcti"/> = "swtpm:…" (one client
/// at a time) — e.g. "a fresh TPM" in a test.
/// </para>
/// Missing programs make the test inconclusive (fail under CI) through
/// <see cref="RequiredComponent"/>, naming the Debian packages.
/// </summary>
public sealed class SoftwareTpm : IDisposable
{
    /// <summary>The TCTI of tpm2-abrmd on the session bus.</summary>
    public const string SessionTcti = "tabrmd:bus_type=session";

    /// <summary>The Debian packages this fixture needs, for install hints.</summary>
    public const string DebianPackages = "swtpm swtpm-tools tpm2-tools tpm2-abrmd libtss2-tcti-tabrmd0 libtss2-tcti-swtpm0 dbus";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly object SharedLock = new();
    private static readonly object SweepLock = new();
    private static SoftwareTpm? _shared;
    private static Exception? _sharedFailure;
    private static bool _swept;
    private static int _instanceCount;

    private readonly List<ChildProcess> _children = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private int _nextHandle = 0x0001_0000;
    private bool _disposed;

    private SoftwareTpm(string directory)
    {
        Directory = directory;
    }

    /// <summary>
    /// The process-wide instance, started on first use; its variables are set in this
    /// process's (native) environment. Inconclusive (CI: failed) when components are missing.
    /// </summary>
    public static SoftwareTpm Shared
    {
        get
        {
            RequireComponents();
            lock (SharedLock)
            {
                if (_shared is not null)
                {
                    return _shared;
                }

                if (_sharedFailure is not null)
                {
                    throw new InvalidOperationException("the shared software TPM failed to start earlier: " + _sharedFailure.Message, _sharedFailure);
                }

                try
                {
                    var instance = Start(withResourceManager: true);
                    foreach (var (name, value) in instance.Environment)
                    {
                        SetProcessEnvironment(name, value);
                    }

                    AppDomain.CurrentDomain.ProcessExit += (_, _) => ShutdownShared();
                    _shared = instance;
                    return instance;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
                {
                    _sharedFailure = e;
                    throw;
                }
            }
        }
    }

    /// <summary>The instance's directory (TPM state, logs, D-Bus socket); removed on dispose.</summary>
    public string Directory { get; }

    /// <summary>TCP port of the TPM's command channel (the control channel is the next port).</summary>
    public int Port { get; private set; }

    /// <summary>
    /// The TCTI clients use: <see cref="SessionTcti"/> with a resource manager (needs
    /// <see cref="DbusAddress"/> as DBUS_SESSION_BUS_ADDRESS), else "swtpm:host=127.0.0.1,port=P".
    /// </summary>
    public string Tcti { get; private set; } = string.Empty;

    /// <summary>The private session bus of this instance; null without a resource manager.</summary>
    public string? DbusAddress { get; private set; }

    /// <summary>
    /// What a client process needs: DBUS_SESSION_BUS_ADDRESS (with a resource manager),
    /// TPM2TOOLS_TCTI and TPM2OPENSSL_TCTI.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>Starts an independent software TPM (its own swtpm, and with a resource manager its own bus and tpm2-abrmd).</summary>
    public static SoftwareTpm Start(bool withResourceManager = true)
    {
        if (!OperatingSystem.IsLinux())
        {
            RequiredComponent.Missing("Linux: the software TPM (swtpm, tpm2-abrmd) runs on Linux only");
            throw new PlatformNotSupportedException();
        }

        RequireComponents();
        SweepOnce();
        System.IO.Directory.CreateDirectory(SoftwareTpmJanitor.Root);
        var name = string.Create(CultureInfo.InvariantCulture, $"{System.Environment.ProcessId}-{Interlocked.Increment(ref _instanceCount)}-{Guid.NewGuid():N}");
        var directory = Path.Combine(SoftwareTpmJanitor.Root, name);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(directory, SoftwareTpmJanitor.OwnerFile), SoftwareTpmJanitor.CurrentOwner());
        var tpm = new SoftwareTpm(directory);
        try
        {
            tpm.StartSwtpm();
            if (withResourceManager)
            {
                tpm.StartBus();
                tpm.StartResourceManager();
                tpm.Tcti = SessionTcti;
                tpm._environment["DBUS_SESSION_BUS_ADDRESS"] = tpm.DbusAddress!;
            }
            else
            {
                tpm.Tcti = DirectTcti(tpm.Port);
            }

            tpm._environment["TPM2TOOLS_TCTI"] = tpm.Tcti;
            tpm._environment["TPM2OPENSSL_TCTI"] = tpm.Tcti;
            tpm.WaitUntilReady();
            return tpm;
        }
        catch
        {
            tpm.Dispose();
            throw;
        }
    }

    /// <summary>Stops the shared instance (call from [AssemblyCleanup]).</summary>
    public static void ShutdownShared()
    {
        lock (SharedLock)
        {
            _shared?.Dispose();
            _shared = null;
        }
    }

    /// <summary>
    /// Inconclusive (CI: failed) unless the OpenSSL tpm2 provider is installed (Debian
    /// tpm2-openssl), for tests that sign through it.
    /// </summary>
    public static void RequireOpenSslProvider()
    {
        var openssl = FindExecutable("openssl");
        if (openssl is null)
        {
            RequiredComponent.Missing("'openssl' is not on PATH (Debian package openssl)");
            return;
        }

        var result = RunProcess(openssl, ["version", "-m"], new Dictionary<string, string>(), TimeSpan.FromSeconds(20));
        var modules = result.StandardOutput.Split('"').ElementAtOrDefault(1);
        if (modules is null || !File.Exists(Path.Combine(modules, "tpm2.so")))
        {
            RequiredComponent.Missing($"the OpenSSL tpm2 provider (tpm2.so in {modules ?? "the OpenSSL modules directory"}; Debian package tpm2-openssl)");
        }
    }

    /// <summary>A persistent handle no other test in this process uses (0x81010000 and up).</summary>
    public uint NewPersistentHandle() => (uint)(0x8100_0000 + Interlocked.Increment(ref _nextHandle));

    /// <summary>Runs a tool (e.g. "tpm2_readpublic") against this TPM and waits for it.</summary>
    public SoftwareTpmToolResult Run(string tool, params string[] arguments)
    {
        var path = FindExecutable(tool) ?? tool;
        return RunProcess(path, arguments, Environment, TimeSpan.FromSeconds(60));
    }

    /// <summary>Gives a child process this TPM (its variables override inherited ones).</summary>
    public void ApplyTo(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        foreach (var (name, value) in Environment)
        {
            startInfo.Environment[name] = value;
        }
    }

    /// <summary>Ends the processes this instance started and removes its directory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = _children.Count - 1; i >= 0; i--)
        {
            _children[i].Stop();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The janitor removes it later.
        }
    }

    /// <summary>The TCTI string that talks to swtpm's command port directly.</summary>
    public static string DirectTcti(int port) => string.Create(CultureInfo.InvariantCulture, $"swtpm:host=127.0.0.1,port={port}");

    private static void RequireComponents()
    {
        (string Tool, string Package)[] tools =
        [
            ("swtpm", "swtpm"),
            ("dbus-daemon", "dbus"),
            ("tpm2-abrmd", "tpm2-abrmd"),
            ("tpm2_getcap", "tpm2-tools"),
        ];
        foreach (var (tool, package) in tools)
        {
            if (FindExecutable(tool) is null)
            {
                RequiredComponent.Missing($"'{tool}' not found (Debian package {package}; the software TPM needs {DebianPackages})");
            }
        }

        foreach (var (library, package) in new[] { ("libtss2-tcti-tabrmd.so.0", "libtss2-tcti-tabrmd0"), ("libtss2-tcti-swtpm.so.0", "libtss2-tcti-swtpm0") })
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                RequiredComponent.Missing($"{library} not found (Debian package {package})");
            }
            else
            {
                NativeLibrary.Free(handle);
            }
        }
    }

    private static void SweepOnce()
    {
        lock (SweepLock)
        {
            if (!_swept)
            {
                _swept = true;
                SoftwareTpmJanitor.SweepAbandoned();
            }
        }
    }

    private void StartSwtpm()
    {
        var state = Path.Combine(Directory, "state");
        System.IO.Directory.CreateDirectory(state);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePortPair();
            var swtpm = Launch("swtpm",
            [
                "socket", "--tpm2",
                "--tpmstate", "dir=" + state,
                "--server", $"type=tcp,port={port},bindaddr=127.0.0.1",
                "--ctrl", $"type=tcp,port={port + 1},bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear",
                "--log", "file=" + Path.Combine(Directory, "swtpm.log"),
            ], new Dictionary<string, string>());
            if (WaitForPort(swtpm, port + 1))
            {
                Port = port;
                return;
            }

            // Another process took the port between our probe and swtpm's bind: try others.
            swtpm.Stop();
            _children.Remove(swtpm);
            if (attempt == 5)
            {
                throw new InvalidOperationException("swtpm did not start: " + swtpm.Output + ReadLog("swtpm.log"));
            }
        }
    }

    private void StartBus()
    {
        var bus = Launch("dbus-daemon",
        [
            "--session", "--nofork", "--nopidfile", "--nosyslog", "--print-address=1",
            "--address=unix:path=" + Path.Combine(Directory, "bus"),
        ], new Dictionary<string, string>());
        DbusAddress = bus.WaitForFirstLine(StartTimeout) ??
            throw new InvalidOperationException("dbus-daemon printed no address: " + bus.Output);
    }

    private void StartResourceManager()
    {
        Launch("tpm2-abrmd",
        [
            "--session", "--allow-root", "--flush-all", "--logger=stdout",
            "--tcti=" + DirectTcti(Port),
        ], new Dictionary<string, string> { ["DBUS_SESSION_BUS_ADDRESS"] = DbusAddress! });
    }

    // Ready when a real client gets an answer from the TPM through the chosen TCTI.
    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        SoftwareTpmToolResult? last = null;
        while (deadline.Elapsed < StartTimeout)
        {
            foreach (var child in _children)
            {
                if (child.HasExited)
                {
                    throw new InvalidOperationException($"{child.Name} exited during start-up: {child.Output}");
                }
            }

            last = Run("tpm2_getcap", "properties-fixed");
            if (last.ExitCode == 0)
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException(
            $"the software TPM did not answer within {StartTimeout.TotalSeconds} s: {last?.StandardError}" +
            string.Concat(_children.Select(c => $"{System.Environment.NewLine}{c.Name}: {c.Output}")));
    }

    private ChildProcess Launch(string tool, string[] arguments, Dictionary<string, string> environment)
    {
        var path = FindExecutable(tool) ?? throw new InvalidOperationException(tool + " not found");
        var startInfo = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment[SoftwareTpmJanitor.InstanceVariable] = Directory;
        var child = new ChildProcess(tool, Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + tool));
        SoftwareTpmJanitor.RecordChild(Directory, child.Process);
        _children.Add(child);
        return child;
    }

    private static bool WaitForPort(ChildProcess process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    private static int FreePortPair()
    {
        for (var i = 0; i < 100; i++)
        {
            var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                if (port >= 65535)
                {
                    continue;
                }

                var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
                // port + 1 is taken: pick another.
            }
            finally
            {
                first.Stop();
            }
        }

        throw new InvalidOperationException("no two consecutive free loopback ports");
    }

    private string ReadLog(string file)
    {
        var path = Path.Combine(Directory, file);
        return File.Exists(path) ? System.Environment.NewLine + File.ReadAllText(path) : string.Empty;
    }

    internal static string? FindExecutable(string name)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        // tpm2-abrmd lives in /usr/sbin, which a non-root PATH may lack.
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static SoftwareTpmToolResult RunProcess(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var commandLine = path + " " + string.Join(' ', startInfo.ArgumentList);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + path);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return new SoftwareTpmToolResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static void SetProcessEnvironment(string name, string value)
    {
        System.Environment.SetEnvironmentVariable(name, value);
        // The managed call above does not reach getenv(3) on Unix; the OpenSSL provider and
        // the tabrmd TCTI read the native environment.
        if (SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException("setenv(" + name + ") failed: " + Marshal.GetLastPInvokeErrorMessage());
        }
    }

    // DllImport rather than LibraryImport: this project does not allow unsafe code, which the
    // LibraryImport generator needs.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
#pragma warning restore SYSLIB1054

    /// <summary>A daemon this fixture started, with the tail of its output for error messages.</summary>
    private sealed class ChildProcess
    {
        private readonly StringBuilder _output = new();
        private readonly ManualResetEventSlim _firstLine = new();
        private string? _firstLineText;

        public ChildProcess(string name, Process process)
        {
            Name = name;
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data, isStdout: true);
            process.ErrorDataReceived += (_, e) => Append(e.Data, isStdout: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public Process Process { get; }

        public bool HasExited => Process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public string? WaitForFirstLine(TimeSpan timeout) => _firstLine.Wait(timeout) ? _firstLineText : null;

        public void Stop()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill();
                    Process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            Process.Dispose();
            _firstLine.Dispose();
        }

        private void Append(string? line, bool isStdout)
        {
            if (line is null)
            {
                return;
            }

            if (isStdout && _firstLineText is null)
            {
                _firstLineText = line;
                _firstLine.Set();
            }

            lock (_output)
            {
                // Keep the tail only: tpm2-abrmd can be chatty over a long test run.
                if (_output.Length > 16_384)
                {
                    _output.Remove(0, _output.Length - 8_192);
                }

                _output.AppendLine(line);
            }
        }
    }
}
