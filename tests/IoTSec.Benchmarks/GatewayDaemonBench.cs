using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Data.Sqlite;

namespace IoTSec.Benchmarks;

/// <summary>
/// The broker harness's "daemon" target: <c>iotsec-gateway run</c> as shipped (its own data
/// directory, embedded laptop defaults: software keys, development PKI, the real allowlist,
/// posture service, audit log and upstream queue), in a child process started with
/// <c>dotnet iotsec-gateway.dll</c> from this program's output directory.
/// <para>
/// Before the start: a benchmark policy (<see cref="PolicyYaml"/>) in the data directory; the
/// first device through <c>iotsec-gateway dev issue-cert</c> (which also makes the keys and the
/// development PKI), the rest registered with <c>iotsec-gateway devices import</c> and given
/// operational certificates by the gateway's own issuer (the DeviceCa key in the data
/// directory, recorded in the inventory as EST records them): ten thousand
/// <c>dev issue-cert</c> processes would take most of an hour.
/// </para>
/// </summary>
internal sealed class GatewayDaemonBench : IDisposable
{
    /// <summary>The device class of the bench devices.</summary>
    public const string DeviceClass = "bench";

    /// <summary>
    /// The bench class may publish JSON telemetry (and heartbeats) at a rate no load here
    /// reaches (1,000,000/s, burst 1,000,000): the benchmark measures the policy's cost, not its
    /// throttle. The heartbeat interval is 24 h so that the posture service does not judge the
    /// bench devices (which send no heartbeats by default) during a run.
    /// </summary>
    public const string PolicyYaml = """
        version: 1
        quarantine:
          class: quarantine
          threshold: 10
          window: 1min
        classes:
          bench:
            heartbeat-interval: 24h
            firmware: []
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [1]
                rate: 1000000/s
                burst: 1000000
              - topic: iotsec/v1/d/{device}/up/telemetry
                payload: json
                max-size: 2048
                qos: [0, 1]
                rate: 1000000/s
                burst: 1000000
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]
          quarantine:
            heartbeat-interval: 24h
            firmware: []
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [1]
                rate: 2/min
                burst: 3
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]

        """;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayDaemonBench(Process process, int port, int metricsPort)
    {
        _process = process;
        Port = port;
        MetricsPort = metricsPort;
    }

    public int Port { get; }

    /// <summary>The daemon's Prometheus endpoint (loopback): how the harness checks what the policy let through.</summary>
    public int MetricsPort { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Makes the data directory <paramref name="data"/>: policy, keys, development PKI, the
    /// devices and their certificates. Returns the devices, the root and the intermediate.
    /// </summary>
    public static List<(string DeviceId, X509Certificate2 Certificate)> Prepare(
        string data, IReadOnlyList<string> deviceIds, out X509Certificate2 root, out X509Certificate2 intermediate, out (string Ca, string Cert, string Key) mosquitto)
    {
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "policy.yaml"), PolicyYaml);
        var clients = Path.Combine(data, "clients");

        // The first device the way a developer makes one: this also creates the gateway's keys
        // and the development PKI, exactly as `run` would.
        RunCli(data, "dev", "issue-cert", "--device", deviceIds[0], "--class", DeviceClass, "--out", clients);
        var devices = new List<(string, X509Certificate2)>(deviceIds.Count)
        {
            (deviceIds[0], X509CertificateLoader.LoadPkcs12(
                X509Certificate2.CreateFromPemFile(Path.Combine(clients, deviceIds[0] + ".pem"), Path.Combine(clients, deviceIds[0] + ".key.pem")).Export(X509ContentType.Pkcs12), null)),
        };

        if (deviceIds.Count > 1)
        {
            var csv = new StringBuilder("deviceId,deviceClass,birthCertificateSha256\n");
            for (var i = 1; i < deviceIds.Count; i++)
            {
                csv.Append(deviceIds[i]).Append(',').Append(DeviceClass).Append(',').Append(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).Append('\n');
            }

            var import = Path.Combine(data, "bench-devices.csv");
            File.WriteAllText(import, csv.ToString());
            RunCli(data, "devices", "import", import);
        }

        using (var keyStore = new SoftwareKeyStore(Path.Combine(data, "keys"), allowSoftwareKeys: true))
        {
            var pki = DevelopmentPki.EnsureCreated(Path.Combine(data, "dev-pki"), keyStore);
            using var authority = pki.Authority;
            root = X509CertificateLoader.LoadCertificate(authority.Root.RawData);
            intermediate = X509CertificateLoader.LoadCertificate(authority.Intermediate.RawData);
            var issuer = new DeviceCertificateIssuer(authority);
            using var audit = AuditLog.Open(Path.Combine(data, "audit.db"), Path.Combine(data, "audit-anchor.db"));
            using var inventory = DeviceInventory.Open(Path.Combine(data, "inventory.db"), audit: audit);
            for (var i = 1; i < deviceIds.Count; i++)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("CN=" + deviceIds[i], key, HashAlgorithmName.SHA256);
                using var issued = issuer.IssueDeviceCertificate(deviceIds[i], request.CreateSigningRequest());
                inventory.RecordIssuedCertificate(deviceIds[i], issued, CertificateKind.Operational, "bench");

                // A PKCS#12 round trip: an ephemeral key cannot be presented by SslStream on every platform.
                using var withKey = issued.CopyWithPrivateKey(key);
                devices.Add((deviceIds[i], X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null)));
            }

            // Mosquitto gets a server certificate from the same issuer, so both brokers are
            // driven by the same devices with the same trust anchor.
            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var server = issuer.IssueServerCertificate(new PublicKey(serverKey), new ServerCertificateOptions());
            mosquitto = (Path.Combine(data, "mosquitto-ca.pem"), Path.Combine(data, "mosquitto-server.pem"), Path.Combine(data, "mosquitto-server.key"));
            File.WriteAllText(mosquitto.Ca, root.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            File.WriteAllText(mosquitto.Cert, server.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            File.WriteAllText(mosquitto.Key, serverKey.ExportPkcs8PrivateKeyPem());
        }

        SqliteConnection.ClearAllPools();
        return devices;
    }

    /// <summary>Starts <c>iotsec-gateway run</c> on <paramref name="data"/>, its broker on <paramref name="port"/>; returns once the broker listens.</summary>
    public static async Task<GatewayDaemonBench> StartAsync(string data, int port, int metricsPort, int maxConnections, IReadOnlyList<string> brokerSettings)
    {
        var start = Command(data);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--IoTSec:Est:Port=0");
        start.ArgumentList.Add("--IoTSec:Metrics:Port=" + metricsPort.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--IoTSec:Broker:Port=" + port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--IoTSec:Broker:MaxConnections=" + maxConnections.ToString(CultureInfo.InvariantCulture));
        foreach (var setting in brokerSettings)
        {
            start.ArgumentList.Add("--IoTSec:Broker:" + setting);
        }
        var process = new Process { StartInfo = start };
        var daemon = new GatewayDaemonBench(process, port, metricsPort);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!daemon.Output.Contains("device broker listening", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = daemon.Output;
                daemon.Dispose();
                throw new InvalidOperationException("iotsec-gateway run did not start its broker:\n" + output);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return daemon;
    }

    /// <summary>The metric samples whose names start with one of <paramref name="prefixes"/>, one per line.</summary>
    public string Scrape(params string[] prefixes)
    {
        var text = Http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort.ToString(CultureInfo.InvariantCulture)}/metrics")).GetAwaiter().GetResult();
        var lines = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            foreach (var prefix in prefixes)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    lines.AppendLine(line);
                    break;
                }
            }
        }

        return lines.ToString();
    }

    /// <summary>The value of the first sample of <paramref name="name"/> (any labels), or -1 when the daemon does not export it.</summary>
    public double Sample(string name)
    {
        foreach (var line in Scrape(name).Split('\n'))
        {
            if (line.Length > name.Length && (line[name.Length] == ' ' || line[name.Length] == '{'))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

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

    /// <summary>Stops the daemon with SIGTERM, as systemd does.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!_process.WaitForExit(20_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
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
            // Bounded: the start-up lines are what matter; a chatty run must not grow the harness.
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static void RunCli(string data, params string[] arguments)
    {
        var start = Command(data);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardInput = false;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"iotsec-gateway {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}{error}");
        }
    }

    /// <summary><c>dotnet iotsec-gateway.dll --data-dir DATA</c>, with nothing inherited that would point it elsewhere.</summary>
    private static ProcessStartInfo Command(string data)
    {
        var self = Environment.ProcessPath!;
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsec-gateway.dll"));
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(data);
        foreach (var name in new[] { "IOTSEC_DATA_DIR", "STATE_DIRECTORY", "NOTIFY_SOCKET", "INVOCATION_ID", "WATCHDOG_USEC", "WATCHDOG_PID" })
        {
            start.Environment.Remove(name);
        }

        foreach (var key in new List<string>(start.Environment.Keys))
        {
            if (key.StartsWith("IOTSEC__", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        return start;
    }
}
