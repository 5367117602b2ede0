using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Data.Sqlite;
using MQTTnet;

namespace IoTSec.Benchmarks;

/// <summary>
/// A Stopwatch harness for the device broker beside Mosquitto: N mutual-TLS MQTTnet clients
/// each publish M QoS 1 JSON messages of S bytes on their own telemetry topic (awaiting each
/// PUBACK), against (a) <c>iotsec-gateway run</c> as shipped (<see cref="GatewayDaemonBench"/>:
/// the real allowlist, posture service, audit log), (b) optionally the broker alone in a child
/// process as <c>AddDeviceBroker</c> composes it with stand-ins (<c>broker-serve</c>, which also
/// reports allocations), and (c) Mosquitto started here with require_certificate,
/// use_identity_as_username and an equivalent ACL pattern file; before the load, I idle
/// mutual-TLS connections are held and each broker's resident memory read from /proc. Every
/// target gets a fresh process per run, the runs interleaved, the 1-minute load average
/// printed beside each figure.
/// <code>
/// dotnet run -c Release --project tests/IoTSec.Benchmarks -- broker [--clients 100] [--messages 1000]
///     [--size 200] [--idle 1000] [--parallelism 32] [--data-dir DIR] [--runs 1]
///     [--target both|daemon,iotsec,mosquitto] [--hold-idle SECONDS] [--broker Key=Value,...]
/// </code>
/// Environment variables DOTNET_gcServer, DOTNET_GCgen0size … are passed to the gateway's
/// processes, so GC settings can be compared without a rebuild (the daemon otherwise runs with
/// its runtimeconfig; broker-serve with workstation, non-concurrent GC).
/// </summary>
internal static class BrokerThroughputHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = Settings.Parse(args);
        var work = Path.Combine(settings.DataDirectory ?? Path.GetTempPath(), "iotsec-broker-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var count = Math.Max(settings.Clients, settings.Idle);
            FileDescriptorLimit.EnsureAtLeast(count + 1_000);
            var targets = settings.Targets;
            Console.WriteLine($"broker harness: {settings.Clients} clients x {settings.Messages} QoS 1 JSON messages of {settings.Size} B; {settings.Idle} idle connections; {settings.Runs} run(s) of {string.Join(", ", targets)}, interleaved; {Environment.ProcessorCount} cores");

            // The daemon's own data directory, PKI and inventory; Mosquitto shares its PKI when it runs too.
            BenchFleet? daemonFleet = null, serveFleet = null;
            var daemonData = Path.Combine(work, "daemon");
            if (targets.Contains("daemon"))
            {
                var clock = Stopwatch.StartNew();
                var devices = GatewayDaemonBench.Prepare(daemonData, DeviceNames(count), out var root, out var intermediate, out var files);
                daemonFleet = new BenchFleet(devices, root, intermediate, files);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"daemon data directory ready: {count} devices of class '{GatewayDaemonBench.DeviceClass}' in {clock.Elapsed.TotalSeconds:F0} s"));
            }

            if (targets.Contains("iotsec") || (targets.Contains("mosquitto") && daemonFleet is null))
            {
                var devices = Prepare(work, count, out var root, out var intermediate, out var files);
                serveFleet = new BenchFleet(devices, root, intermediate, files);
            }

            var rates = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var lines = new List<string>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                foreach (var target in targets)
                {
                    var load = LoadAverage();
                    (double Rate, string Line) figures;
                    switch (target)
                    {
                        case "daemon":
                        {
                            using var daemon = await GatewayDaemonBench.StartAsync(daemonData, FreePort(), FreePort(), count + 1_000, settings.BrokerSettings).ConfigureAwait(false);
                            figures = await MeasureAsync("iotsec-gateway run", daemon.Port, daemon.ProcessId, null, null, daemonFleet!, settings).ConfigureAwait(false);

                            // MQTT 3.1.1 acknowledges a refused publish like an accepted one: the
                            // daemon's own counters tell what the policy let through.
                            Console.Write(daemon.Scrape("iotsec_broker_messages", "iotsec_policy_violations", "iotsec_broker_connections_refused", "dotnet_gc_heap_total_allocated", "process_working_set", "dotnet_total_memory"));
                            break;
                        }

                        case "iotsec":
                        {
                            using var child = await StartGatewayBrokerAsync(work, settings.BrokerSettings).ConfigureAwait(false);
                            figures = await MeasureAsync("broker-serve", child.Port, child.ProcessId, child.CollectMegabytes, child.AllocatedBytes, serveFleet!, settings).ConfigureAwait(false);
                            break;
                        }

                        default:
                        {
                            var fleet = daemonFleet ?? serveFleet!;
                            using var mosquitto = await MosquittoBenchServer.StartAsync(work, FreePort(), fleet.Mosquitto.Ca, fleet.Mosquitto.Cert, fleet.Mosquitto.Key).ConfigureAwait(false);
                            figures = await MeasureAsync("mosquitto", mosquitto.Port, mosquitto.ProcessId, null, null, fleet, settings).ConfigureAwait(false);
                            break;
                        }
                    }

                    rates.TryAdd(target, []);
                    rates[target].Add(figures.Rate);
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {run} {figures.Line} {load} → {LoadAverage()} |"));
                }
            }

            Console.WriteLine();
            Console.WriteLine("| run | broker | msg/s | failures | RSS idle (MB) | RSS with idle conns (MB) | per idle conn (KB) | RSS after load (MB) | load average (1 min) before → after |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            Console.WriteLine();
            foreach (var (target, list) in rates)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target}: median {Median(list):F0} msg/s over {list.Count} run(s)"));
            }

            if (rates.TryGetValue("mosquitto", out var theirs))
            {
                foreach (var ours in new[] { "daemon", "iotsec" })
                {
                    if (rates.TryGetValue(ours, out var list))
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ours} / mosquitto (medians) = {Median(list) / Median(theirs):F2}"));
                    }
                }
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = new List<double>(values);
        sorted.Sort();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The 1-minute load average: other work on the shared cores, reported beside each figure.</summary>
    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static List<string> DeviceNames(int count)
    {
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(DeviceName(i));
        }

        return names;
    }

    /// <summary>The devices (with their certificates and keys), the trust anchor, and Mosquitto's files from the same PKI.</summary>
    private sealed record BenchFleet(
        IReadOnlyList<(string DeviceId, X509Certificate2 Certificate)> Devices, X509Certificate2 Root, X509Certificate2 Intermediate, (string Ca, string Cert, string Key) Mosquitto);

    private static async Task<(double Rate, string Line)> MeasureAsync(
        string name, int port, int processId, Func<double>? collect, Func<long>? allocated, BenchFleet fleet, Settings settings)
    {
        var (devices, root, intermediate) = (fleet.Devices, fleet.Root, fleet.Intermediate);
        await Task.Delay(500).ConfigureAwait(false);
        var idleBase = ResidentMegabytes(processId);

        // Idle connections first, on the fresh process: the per-connection cost without load history.
        var withIdle = idleBase;
        if (settings.Idle > 0)
        {
            // In two halves: the first pays the process's one-time costs (thread-pool threads,
            // allocator arenas, JIT of the handshake and session code) besides its connections;
            // the second half's growth is the marginal cost of one more device, the figure that
            // sizes a fleet (ADR 0009).
            var half = settings.Idle / 2;
            var idle = await BrokerBenchLoad.ConnectAsync(port, root, intermediate, Slice(devices, half), settings.Parallelism).ConfigureAwait(false);
            await Task.Delay(2000).ConfigureAwait(false);
            var withHalf = ResidentMegabytes(processId);
            idle.AddRange(await BrokerBenchLoad.ConnectAsync(port, root, intermediate, Slice(devices, settings.Idle, half), settings.Parallelism).ConfigureAwait(false));
            await Task.Delay(2000).ConfigureAwait(false);
            withIdle = ResidentMegabytes(processId);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: RSS {idleBase:F1} MB → {withHalf:F1} MB with {half} idle connections → {withIdle:F1} MB with {settings.Idle}: {(withIdle - idleBase) * 1024 / settings.Idle:F1} KB per connection on average, {(withIdle - withHalf) * 1024 / (settings.Idle - half):F1} KB marginal (second half)"));
            if (settings.HoldIdle > 0)
            {
                Console.WriteLine($"{name}: holding {settings.Idle} idle connections for {settings.HoldIdle} s (process {processId}: inspect with pmap or /proc/{processId}/smaps)");
                await Task.Delay(TimeSpan.FromSeconds(settings.HoldIdle)).ConfigureAwait(false);
            }

            if (collect is not null)
            {
                var heap = collect();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: with {settings.Idle} idle connections, after a full GC: managed heap {heap:F1} MB, RSS {ResidentMegabytes(processId):F1} MB"));
            }

            await BrokerBenchLoad.DisconnectAsync(idle).ConfigureAwait(false);
            await Task.Delay(500).ConfigureAwait(false);
        }

        var load = Slice(devices, settings.Clients);
        var clients = await BrokerBenchLoad.ConnectAsync(port, root, intermediate, load, settings.Parallelism).ConfigureAwait(false);
        var ids = new List<string>(load.Count);
        foreach (var (deviceId, _) in load)
        {
            ids.Add(deviceId);
        }

        // A short warm-up (JIT, buffers), then the measured run.
        await BrokerBenchLoad.PublishAsync(clients, ids, Math.Min(50, settings.Messages), settings.Size).ConfigureAwait(false);
        var allocatedBefore = allocated?.Invoke() ?? 0;
        var cpuBefore = CpuSeconds(processId);
        var (elapsed, failures) = await BrokerBenchLoad.PublishAsync(clients, ids, settings.Messages, settings.Size).ConfigureAwait(false);

        // The broker's own CPU time per message (user + system, from /proc): unlike msg/s it
        // hardly depends on what else runs on the shared cores, so it compares brokers and
        // settings on a busy machine.
        var cpuPerMessage = (CpuSeconds(processId) - cpuBefore) * 1e6 / ((long)settings.Clients * settings.Messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {cpuPerMessage:F1} µs of broker CPU per message"));
        if (allocated is not null)
        {
            // Everything the broker process allocated during the measured run, per message:
            // MQTTnet's packets and events, the gateway's publish path, TLS.
            var perMessage = (double)(allocated() - allocatedBefore) / ((long)settings.Clients * settings.Messages);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {perMessage:F0} bytes allocated per message (whole process)"));
        }

        var afterLoad = ResidentMegabytes(processId);
        await BrokerBenchLoad.DisconnectAsync(clients).ConfigureAwait(false);

        var rate = (double)settings.Clients * settings.Messages / elapsed.TotalSeconds;
        var perConnection = settings.Idle > 0 ? (withIdle - idleBase) * 1024 / settings.Idle : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {rate:F0} msg/s in {elapsed.TotalSeconds:F2} s, {failures} failures"));
        return (rate, string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {rate:F0} | {failures} | {idleBase:F1} | {withIdle:F1} | {perConnection:F1} | {afterLoad:F1} |"));
    }

    private static List<(string, X509Certificate2)> Slice(IReadOnlyList<(string, X509Certificate2)> devices, int count, int from = 0)
    {
        var slice = new List<(string, X509Certificate2)>(count - from);
        for (var i = from; i < count; i++)
        {
            slice.Add(devices[i]);
        }

        return slice;
    }

    /// <summary>The PKI, the inventory with the devices enrolled, and Mosquitto's files.</summary>
    private static List<(string DeviceId, X509Certificate2 Certificate)> Prepare(
        string work, int count, out X509Certificate2 root, out X509Certificate2 intermediate, out (string Ca, string Cert, string Key) mosquitto)
    {
        using var keyStore = new SoftwareKeyStore(Path.Combine(work, "keys"), allowSoftwareKeys: true);
        keyStore.Create(GatewayKeyRole.DeviceCa);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        root = OfflineRootAuthority.CreateRootCertificate(rootKey, OfflineRootAuthority.DefaultSubject("Broker Bench Root"));
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(keyStore, GatewayIntermediateRequest.DefaultSubject("bench")));
        intermediate = OfflineRootAuthority.SignGatewayIntermediate(root, rootKey, csr);
        PemCertificateFile.Save(Path.Combine(work, "root.pem"), root);
        PemCertificateFile.Save(Path.Combine(work, "intermediate.pem"), intermediate);
        using var authority = GatewayCertificateAuthority.Create(root, intermediate, keyStore.Open(GatewayKeyRole.DeviceCa));
        var issuer = new DeviceCertificateIssuer(authority);

        using (var audit = AuditLog.Open(Path.Combine(work, "audit.db"), Path.Combine(work, "audit-anchor.db")))
        using (var inventory = DeviceInventory.Open(Path.Combine(work, "inventory.db"), audit: audit))
        {
            var entries = new List<DeviceImportEntry>(count);
            for (var i = 0; i < count; i++)
            {
                entries.Add(new DeviceImportEntry(DeviceName(i), "sensor", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))));
            }

            inventory.Register(entries, "bench");
            var devices = new List<(string, X509Certificate2)>(count);
            for (var i = 0; i < count; i++)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("CN=" + DeviceName(i), key, HashAlgorithmName.SHA256);
                using var issued = issuer.IssueDeviceCertificate(DeviceName(i), request.CreateSigningRequest());
                inventory.RecordIssuedCertificate(DeviceName(i), issued, actor: "bench");

                // A PKCS#12 round trip: an ephemeral key cannot be presented by SslStream on every platform.
                using var withKey = issued.CopyWithPrivateKey(key);
                devices.Add((DeviceName(i), X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null)));
            }

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var server = issuer.IssueServerCertificate(new PublicKey(serverKey), new ServerCertificateOptions());
            var ca = Path.Combine(work, "mosquitto-ca.pem");
            var cert = Path.Combine(work, "mosquitto-server.pem");
            var keyFile = Path.Combine(work, "mosquitto-server.key");
            File.WriteAllText(ca, root.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            File.WriteAllText(cert, server.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            File.WriteAllText(keyFile, serverKey.ExportPkcs8PrivateKeyPem());
            mosquitto = (ca, cert, keyFile);
            return devices;
        }
    }

    private static string DeviceName(int i) => "bench-" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static async Task<ChildBroker> StartGatewayBrokerAsync(string work, List<string> brokerSettings)
    {
        // This program again, as "broker-serve DIR", run the way this one was (apphost or dotnet + dll).
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add("broker-serve");
        start.ArgumentList.Add(work);
        foreach (var setting in brokerSettings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment.TryAdd("DOTNET_gcServer", "0");
        start.Environment.TryAdd("DOTNET_gcConcurrent", "0");
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("the broker process exited before listening");
        if (!line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("unexpected output from the broker process: " + line);
        }

        return new ChildBroker(process, int.Parse(line[5..], CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>User plus system CPU seconds the process has used (/proc/PID/stat fields 14 and 15).</summary>
    private static double CpuSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");

        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    private static double ResidentMegabytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        return double.NaN;
    }

    private sealed class ChildBroker(Process process, int port) : IDisposable
    {
        public int Port { get; } = port;

        public int ProcessId => process.Id;

        /// <summary>Bytes the broker process allocated since it started.</summary>
        public long AllocatedBytes()
        {
            process.StandardInput.WriteLine("allocated");
            process.StandardInput.Flush();
            var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the broker process exited");
            return long.Parse(line[10..], CultureInfo.InvariantCulture);
        }

        /// <summary>Asks for a full, compacting collection; returns the managed heap in MB.</summary>
        public double CollectMegabytes()
        {
            process.StandardInput.WriteLine("gc");
            process.StandardInput.Flush();
            var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the broker process exited");
            return long.Parse(line[5..], CultureInfo.InvariantCulture) / (1024.0 * 1024.0);
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    private sealed record Settings(int Clients, int Messages, int Size, int Idle, int Parallelism, string? DataDirectory, List<string> Targets, int HoldIdle, int Runs, List<string> BrokerSettings)
    {
        public static Settings Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

            // "both" is the issue's comparison: the daemon as shipped beside Mosquitto.
            var targets = new List<string>();
            foreach (var target in values.GetValueOrDefault("target", "both").Split(','))
            {
                switch (target)
                {
                    case "both":
                        targets.AddRange(["daemon", "mosquitto"]);
                        break;
                    case "daemon" or "iotsec" or "mosquitto":
                        targets.Add(target);
                        break;
                    default:
                        throw new ArgumentException("--target is a comma-separated list of daemon, iotsec (broker-serve) and mosquitto, or both (daemon,mosquitto)");
                }
            }

            if (Int("size", 200) < 32)
            {
                throw new ArgumentException("--size is at least 32 bytes (the JSON telemetry document)");
            }

            // --broker "Key=Value,Key=Value": IoTSec:Broker settings for the gateway's processes
            // (both the daemon and broker-serve), to compare settings without a rebuild.
            var brokerSettings = new List<string>();
            foreach (var pair in values.GetValueOrDefault("broker", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (pair.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    throw new ArgumentException($"--broker takes Key=Value pairs of IoTSec:Broker settings separated by commas; '{pair}' is not one");
                }

                brokerSettings.Add(pair);
            }

            return new Settings(Int("clients", 100), Int("messages", 1000), Int("size", 200), Int("idle", 1000), Int("parallelism", 32), values.GetValueOrDefault("data-dir"), targets, Int("hold-idle", 0), Int("runs", 1), brokerSettings);
        }
    }
}
