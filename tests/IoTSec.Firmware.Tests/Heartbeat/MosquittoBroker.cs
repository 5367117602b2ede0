using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using IoTSec.Testing;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// A real Mosquitto broker configured as the gateway's broker behaves towards devices: TLS
/// 1.2+, client certificates required, the certificate's CN as the identity, and an ACL that
/// lets a device write only its own up/ topics and read only its own down/ topics, while the
/// identity "gateway" reads and writes the whole device tree (the gateway side of the tests).
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoBroker(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static MosquittoBroker Start(TestPki pki)
    {
        var mosquitto = RequiredComponent.Executable("mosquitto", "mosquitto");
        var directory = System.IO.Directory.CreateTempSubdirectory("iotsec-fw-broker-").FullName;
        var (server, serverKey) = pki.Server();
        using (server)
        using (serverKey)
        {
            TestPki.WritePem(Path.Combine(directory, "ca.pem"), pki.Root);
            TestPki.WritePem(Path.Combine(directory, "server.pem"), server);
            TestPki.WritePem(Path.Combine(directory, "server.key"), serverKey);
        }

        File.WriteAllText(Path.Combine(directory, "acl"), "user gateway\ntopic readwrite iotsec/v1/d/#\n\npattern write iotsec/v1/d/%u/up/#\npattern read iotsec/v1/d/%u/down/#\n");
        var port = FreePort();
        File.WriteAllText(Path.Combine(directory, "mosquitto.conf"), string.Join('\n',
            // Started as root, mosquitto would switch to the user "mosquitto", which cannot read
            // the test's private temporary directory.
            "user root",
            "per_listener_settings false",
            "persistence false",
            "log_type error",
            "log_type warning",
            "log_dest stderr",
            "allow_anonymous false",
            "acl_file " + Path.Combine(directory, "acl"),
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "cafile " + Path.Combine(directory, "ca.pem"),
            "certfile " + Path.Combine(directory, "server.pem"),
            "keyfile " + Path.Combine(directory, "server.key"),
            "require_certificate true",
            "use_identity_as_username true",
            "tls_version tlsv1.2",
            string.Empty));
        var start = new ProcessStartInfo(mosquitto)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(directory, "mosquitto.conf"));
        var process = Process.Start(start)!;
        var broker = new MosquittoBroker(process, port, directory);
        process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(20);
            }
            catch (SocketException)
            {
                broker.Dispose();
                throw new InvalidOperationException("mosquitto did not start: " + broker.Log);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
