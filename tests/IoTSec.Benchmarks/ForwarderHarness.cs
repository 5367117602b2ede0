using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Forwarder;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace IoTSec.Benchmarks;

/// <summary>
/// <c>forwarder [--devices N] [--minutes M] [--throughput N]</c>: the upstream forwarder against a
/// real Mosquitto (TLS, require_certificate). Plays <see cref="TelemetryTrace"/> for M simulated
/// minutes three ways — every message forwarded in full (one QoS 1 publish each, what a
/// forwarder without deltas sends), deltas batched, deltas batched and gzipped — and reads the
/// bytes the broker received from its own counter ($SYS/broker/bytes/received, MQTT bytes
/// without TLS framing). Then forwarding throughput through the spool with each fsync policy.
/// </summary>
internal static class ForwarderHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = Option(args, "--devices", 1000);
        var minutes = Option(args, "--minutes", 60);
        var throughputMessages = Option(args, "--throughput", 20_000);
        var directory = Path.Combine(Path.GetTempPath(), "iotsec-fwd-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            using var gatewayCa = CreateGatewayAuthority(out var gatewayCaPem);
            await using var broker = await BenchUpstream.StartAsync(directory, gatewayCaPem);
            var samples = minutes * 60 / (int)TelemetryTrace.SampleInterval.TotalSeconds;
            Console.WriteLine($"trace: {devices} devices x {samples} samples ({minutes} simulated minutes, one sample per {TelemetryTrace.SampleInterval.TotalSeconds} s), 10 fields; load before: {Load()}");

            // --minutes 0: throughput only.
            if (minutes > 0)
            {
                var full = await MeasureAsync(broker, () => FullAsync(broker, devices, samples));
                var delta = await MeasureAsync(broker, () => DeltaAsync(directory, broker, gatewayCa, devices, samples, compress: false, fsync: "normal"));
                var gzip = await MeasureAsync(broker, () => DeltaAsync(directory, broker, gatewayCa, devices, samples, compress: true, fsync: "normal"));
                var hours = minutes / 60.0;
                Console.WriteLine();
                Console.WriteLine("| mode | messages upstream | MQTT bytes at the broker | bytes per device-hour | vs full |");
                Console.WriteLine("|---|---:|---:|---:|---:|");
                foreach (var (name, (bytes, messages)) in new[] { ("every message in full", full), ("deltas, batched", delta), ("deltas, batched, gzip", gzip) })
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {messages:N0} | {bytes:N0} | {bytes / devices / hours:N0} | {100.0 * bytes / full.Bytes:F1} % |"));
                }
            }

            Console.WriteLine();
            Console.WriteLine("| fsync | enqueuing threads | enqueue msgs/s | forwarded msgs/s (enqueue to PUBACK) | load average |");
            Console.WriteLine("|---|---:|---:|---:|---|");
            foreach (var fsync in new[] { "full", "normal" })
            {
                foreach (var threads in new[] { 1, 16 })
                {
                    var (enqueue, forwarded) = await ThroughputAsync(directory, broker, gatewayCa, Math.Min(devices, 1000), throughputMessages, fsync, threads);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {fsync} | {threads} | {enqueue:N0} | {forwarded:N0} | {Load()} |"));
                }
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(long Bytes, long Messages)> MeasureAsync(BenchUpstream broker, Func<Task<long>> run)
    {
        var before = await broker.SettledBytesReceivedAsync();
        var messages = await run();
        var after = await broker.SettledBytesReceivedAsync();
        return (after - before, messages);
    }

    // Every sample as its own QoS 1 publish on a per-device topic, as a forwarder without deltas would.
    private static async Task<long> FullAsync(BenchUpstream broker, int devices, int samples)
    {
        var trace = new TelemetryTrace(devices);
        var client = await broker.ConnectGatewayAsync("gw-full");
        using var inFlight = new SemaphoreSlim(64);
        var tasks = new List<Task>();
        long count = 0;
        for (var t = 0; t < samples; t++)
        {
            for (var d = 0; d < devices; d++)
            {
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic($"iotsec/v1/gw/gw-full/d/{trace.DeviceId(d)}/telemetry")
                    .WithPayload(trace.Next(d))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await inFlight.WaitAsync();
                tasks.Add(Publish(client, message, inFlight));
                count++;
            }

            if (tasks.Count > 10_000)
            {
                await Task.WhenAll(tasks);
                tasks.Clear();
            }
        }

        await Task.WhenAll(tasks);
        await client.DisconnectAsync();
        client.Dispose();
        return count;

        static async Task Publish(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim inFlight)
        {
            try
            {
                var result = await client.PublishAsync(message);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException("publish refused: " + result.ReasonCode);
                }
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    private static async Task<long> DeltaAsync(string directory, BenchUpstream broker, GatewayCertificateAuthority ca, int devices, int samples, bool compress, string fsync)
    {
        var trace = new TelemetryTrace(devices);
        var path = Path.Combine(directory, $"spool-{Guid.NewGuid():N}.db");
        var settings = Settings(broker, compress, fsync);
        using var spool = UpstreamSpool.Open(path, settings, NullLogger.Instance);
        using var forwarder = Forwarder(spool, settings, ca);
        var before = broker.Messages;
        await forwarder.StartAsync(CancellationToken.None);
        var start = DateTimeOffset.UtcNow;
        for (var t = 0; t < samples; t++)
        {
            var at = start + (t * TelemetryTrace.SampleInterval);
            for (var d = 0; d < devices; d++)
            {
                spool.Enqueue(new UpstreamMessage(trace.DeviceId(d), UpstreamKind.Telemetry, trace.Next(d), at));
            }
        }

        await DrainedAsync(spool);
        await forwarder.StopAsync(CancellationToken.None);
        return broker.Messages - before;
    }

    // Messages enqueued by several threads at once (as the broker's connections do), each thread
    // its own devices: the spool's group commit shares one fsync among them.
    private static async Task<(double Enqueue, double Forwarded)> ThroughputAsync(string directory, BenchUpstream broker, GatewayCertificateAuthority ca, int devices, int messages, string fsync, int threads)
    {
        var settings = Settings(broker, compress: true, fsync);
        using var spool = UpstreamSpool.Open(Path.Combine(directory, $"spool-{Guid.NewGuid():N}.db"), settings, NullLogger.Instance);
        using var forwarder = Forwarder(spool, settings, ca);
        await forwarder.StartAsync(CancellationToken.None);
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(worker => Task.Factory.StartNew(() =>
        {
            var trace = new TelemetryTrace(devices, seed: 9 + worker);
            var mine = Enumerable.Range(0, devices).Where(d => d % threads == worker).ToArray();
            for (var i = 0; i < messages / threads; i++)
            {
                var d = mine[i % mine.Length];
                spool.Enqueue(new UpstreamMessage(trace.DeviceId(d), UpstreamKind.Telemetry, trace.Next(d), start + ((i / mine.Length) * TelemetryTrace.SampleInterval)));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);
        var enqueued = clock.Elapsed;
        await DrainedAsync(spool);
        var forwarded = clock.Elapsed;
        await forwarder.StopAsync(CancellationToken.None);
        var total = messages / threads * threads;
        return (total / enqueued.TotalSeconds, total / forwarded.TotalSeconds);
    }

    private static async Task DrainedAsync(UpstreamSpool spool)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (spool.Backlog > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the spool did not drain: {spool.Backlog} records left");
            }

            await Task.Delay(20);
        }
    }

    private static UpstreamSettings Settings(BenchUpstream broker, bool compress, string fsync) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        CaFile = broker.CaFile,
        ClientId = "gw-bench",
        Compress = compress,
        Fsync = fsync,
        SpoolMaxBytes = 1L << 30,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    private static UpstreamForwarder Forwarder(UpstreamSpool spool, UpstreamSettings settings, GatewayCertificateAuthority ca)
    {
        var identity = UpstreamClientIdentity.Issued(ca, settings.ClientId, TimeSpan.FromHours(2));
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(settings.CaFile);
        return new UpstreamForwarder(spool, settings, settings.ClientId, identity,
            f => new UpstreamLink(settings, settings.ClientId, identity, trust, f.OnRequestAsync), NullLogger<UpstreamForwarder>.Instance);
    }

    // A root and a gateway intermediate made here (the gateway CA whose certificates upstream accepts).
    private static GatewayCertificateAuthority CreateGatewayAuthority(out string pem)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Bench Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Bench Gateway", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(CertificatePolicies.Create(CertificatePolicies.GatewayIntermediate));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var intermediate = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        pem = root.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n";
        return GatewayCertificateAuthority.Create(X509CertificateLoader.LoadCertificate(root.RawData), intermediate, key);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var parts ? string.Join(' ', parts) : string.Empty;

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

/// <summary>
/// Mosquitto as the upstream broker of the forwarder harness (TLS 1.2, require_certificate, the
/// gateway CA trusted for clients) and a collector that reads $SYS/broker/bytes/received and
/// counts the messages that arrive.
/// </summary>
internal sealed class BenchUpstream : IAsyncDisposable
{
    private readonly Process _mosquitto;
    private readonly IMqttClient _collector;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey;
    private long _bytesReceived;
    private long _bytesUpdates;
    private long _messages;

    private BenchUpstream(Process mosquitto, IMqttClient collector, X509Certificate2 ca, ECDsa caKey, int port, string caFile)
    {
        _mosquitto = mosquitto;
        _collector = collector;
        _ca = ca;
        _caKey = caKey;
        Port = port;
        CaFile = caFile;
    }

    public int Port { get; }

    public string CaFile { get; }

    public long Messages => Interlocked.Read(ref _messages);

    public static async Task<BenchUpstream> StartAsync(string directory, string gatewayCaPem)
    {
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Bench upstream CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var caFile = Path.Combine(directory, "upstream-ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = Issue(ca, caKey, "CN=upstream", serverKey, serverAuth: true);
        File.WriteAllText(Path.Combine(directory, "server.pem"), server.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(directory, "clients.pem"), ca.ExportCertificatePem() + "\n" + gatewayCaPem);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, string.Join('\n',
            "per_listener_settings false", "persistence false", "log_type error", "log_dest stderr", "allow_anonymous false",
            "max_queued_messages 1000000", "max_inflight_messages 0", "sys_interval 1",
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "cafile " + Path.Combine(directory, "clients.pem"), "certfile " + Path.Combine(directory, "server.pem"), "keyfile " + Path.Combine(directory, "server.key"),
            "require_certificate true", "use_identity_as_username true", "tls_version tlsv1.2", string.Empty));
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var mosquitto = Process.Start(start)!;
        mosquitto.BeginErrorReadLine();
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (i < 200)
            {
                await Task.Delay(50);
            }
        }

        var collector = new MqttClientFactory().CreateMqttClient();
        var upstream = new BenchUpstream(mosquitto, collector, ca, caKey, port, caFile);
        collector.ApplicationMessageReceivedAsync += upstream.OnMessage;
        await upstream.ConnectAsync(collector, "collector");
        await collector.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("$SYS/broker/bytes/received")
            .WithTopicFilter("iotsec/v1/gw/#", MqttQualityOfServiceLevel.AtMostOnce)
            .Build());
        return upstream;
    }

    /// <summary>A client with a certificate from the upstream CA (the "full" forwarder of the baseline).</summary>
    public async Task<IMqttClient> ConnectGatewayAsync(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await ConnectAsync(client, clientId);
        return client;
    }

    /// <summary>
    /// The broker's received-bytes counter once it stopped moving. Mosquitto publishes it every
    /// second (sys_interval 1), and only when it changed: settled means unchanged for 3 s.
    /// </summary>
    public async Task<long> SettledBytesReceivedAsync()
    {
        while (Interlocked.Read(ref _bytesUpdates) == 0)
        {
            await Task.Delay(100);
        }

        var value = Interlocked.Read(ref _bytesReceived);
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(200);
            var now = Interlocked.Read(ref _bytesReceived);
            if (now != value)
            {
                value = now;
                stableSince = DateTime.UtcNow;
            }
        }

        return value;
    }

    public async ValueTask DisposeAsync()
    {
        await _collector.DisconnectAsync();
        _collector.Dispose();
        _mosquitto.Kill();
        await _mosquitto.WaitForExitAsync();
        _mosquitto.Dispose();
        _ca.Dispose();
        _caKey.Dispose();
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs args)
    {
        if (args.ApplicationMessage.Topic == "$SYS/broker/bytes/received")
        {
            Interlocked.Exchange(ref _bytesReceived, long.Parse(args.ApplicationMessage.ConvertPayloadToString(), CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _bytesUpdates);
        }
        else if (args.ApplicationMessage.Topic.EndsWith("/records", StringComparison.Ordinal))
        {
            var payload = args.ApplicationMessage.Payload.ToArray();
            if (UpstreamBatch.IsCompressed(payload))
            {
                using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                payload = plain.ToArray();
            }

            using var document = JsonDocument.Parse(payload);
            _ = document.RootElement.GetProperty("r").GetArrayLength();
            Interlocked.Increment(ref _messages);
        }
        else
        {
            Interlocked.Increment(ref _messages);
        }

        return Task.CompletedTask;
    }

    private async Task ConnectAsync(IMqttClient client, string clientId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Issue(_ca, _caKey, "CN=" + clientId, key, serverAuth: false);
        var certificate = issued.CopyWithPrivateKey(key);
        var ca = _ca;
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("127.0.0.1").WithClientCertificates([certificate])
                .WithCertificateValidationHandler(args =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    return chain.Build(new X509Certificate2(args.Certificate));
                }))
            .Build());
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string subject, ECDsa key, bool serverAuth)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
    }
}
