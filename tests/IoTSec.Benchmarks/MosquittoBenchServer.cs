using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace IoTSec.Benchmarks;

/// <summary>
/// Mosquitto as the reference broker, configured as the gateway's broker behaves: TLS with the
/// gateway's server certificate, client certificates required and chained to the root through
/// the gateway intermediate, the certificate's CN as the identity, and an ACL pattern file that
/// lets a device write only its own up/ topics and read only its own down/ topics.
/// </summary>
internal sealed class MosquittoBenchServer : IDisposable
{
    private readonly Process _process;

    private MosquittoBenchServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Writes the configuration into <paramref name="directory"/> and starts mosquitto on <paramref name="port"/>.</summary>
    /// <param name="directory">Where the files go.</param>
    /// <param name="port">A free loopback port.</param>
    /// <param name="caFile">Root and intermediate (PEM): what client certificates must chain to.</param>
    /// <param name="certFile">Server certificate followed by the intermediate (PEM).</param>
    /// <param name="keyFile">The server certificate's key (PEM).</param>
    public static async Task<MosquittoBenchServer> StartAsync(string directory, int port, string caFile, string certFile, string keyFile)
    {
        var acl = Path.Combine(directory, "mosquitto.acl");
        File.WriteAllText(acl, "pattern write iotsec/v1/d/%u/up/#\npattern read iotsec/v1/d/%u/down/#\n");
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, string.Join('\n',
            "per_listener_settings false",
            "persistence false",
            "log_type error",
            "log_dest stderr",
            "allow_anonymous false",
            "max_connections -1",
            "acl_file " + acl,
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "cafile " + caFile,
            "certfile " + certFile,
            "keyfile " + keyFile,
            "require_certificate true",
            "use_identity_as_username true",
            "tls_version tlsv1.2",
            string.Empty));
        var start = new ProcessStartInfo(FindMosquitto())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        return new MosquittoBenchServer(process, port);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string FindMosquitto()
    {
        foreach (var candidate in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("mosquitto not found (Debian package mosquitto)");
    }
}
