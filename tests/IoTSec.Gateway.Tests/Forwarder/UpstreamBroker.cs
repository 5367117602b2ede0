using System;
using System.Buffers;
using System.Collections.Concurrent;
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
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Daemon;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;

namespace IoTSec.Gateway.Tests.Forwarder;

/// <summary>
/// The upstream broker of the forwarder tests: Debian's mosquitto on loopback with TLS 1.2,
/// <c>require_certificate</c> and the certificate's CN as the user, its server certificate from
/// a CA made here with System.Security.Cryptography (the "operator's" CA, what the gateway's
/// IoTSec:Upstream:CaFile names), client certificates accepted from that CA and from the
/// gateway CA files the test passes. A collector (an MQTTnet client with its own certificate)
/// subscribes to every records topic and decodes what arrives. <see cref="LinkPort"/> is a
/// socat relay in front of the broker that the test cuts and restores: "upstream down" without
/// losing the collector's subscription.
/// </summary>
internal sealed class UpstreamBroker : IAsyncDisposable
{
    private readonly Process _mosquitto;
    private readonly IMqttClient _collector;
    private readonly string _directory;
    private readonly ConcurrentQueue<UpstreamRecord> _records = new();
    private Process? _relay;
    private long _payloadBytes;
    private int _messages;

    private UpstreamBroker(string directory, int port, int linkPort, Process mosquitto, IMqttClient collector)
    {
        _directory = directory;
        Port = port;
        LinkPort = linkPort;
        _mosquitto = mosquitto;
        _collector = collector;
    }

    /// <summary>The broker's own port (the collector's).</summary>
    public int Port { get; }

    /// <summary>The relay's port: what the gateway is configured with.</summary>
    public int LinkPort { get; }

    /// <summary>The operator CA's certificate (PEM file): the gateway's IoTSec:Upstream:CaFile.</summary>
    public string CaFile => Path.Combine(_directory, "upstream-ca.pem");

    /// <summary>Every record received, in arrival order (duplicates included).</summary>
    public IReadOnlyList<UpstreamRecord> Records => [.. _records];

    /// <summary>Upstream messages received.</summary>
    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Payload bytes received.</summary>
    public long PayloadBytes => Interlocked.Read(ref _payloadBytes);

    /// <summary>Starts mosquitto (trusting client certificates from <paramref name="clientCaFiles"/> too), the collector and the relay.</summary>
    public static async Task<UpstreamBroker> StartAsync(string directory, params string[] clientCaFiles)
    {
        var mosquittoPath = FindMosquitto();
        RequiredComponent.Executable("socat", "socat");
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=IoTSec test upstream CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "upstream-ca.pem"), ca.ExportCertificatePem() + "\n");

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = Issue(ca, caKey, "CN=upstream.test", serverKey, serverAuth: true);
        File.WriteAllText(Path.Combine(directory, "upstream-server.pem"), server.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "upstream-server.key"), serverKey.ExportPkcs8PrivateKeyPem() + "\n");

        var trusted = ca.ExportCertificatePem() + "\n" + string.Concat(clientCaFiles.Select(f => File.ReadAllText(f) + "\n"));
        File.WriteAllText(Path.Combine(directory, "upstream-clients.pem"), trusted);

        var port = GatewayProcess.FreePort();
        var config = Path.Combine(directory, "upstream-mosquitto.conf");
        File.WriteAllText(config, string.Join('\n',
            "per_listener_settings false",
            "persistence false",
            "log_type error",
            "log_dest stderr",
            "allow_anonymous false",
            "max_queued_messages 100000",
            "sys_interval 1",
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "cafile " + Path.Combine(directory, "upstream-clients.pem"),
            "certfile " + Path.Combine(directory, "upstream-server.pem"),
            "keyfile " + Path.Combine(directory, "upstream-server.key"),
            "require_certificate true",
            "use_identity_as_username true",
            "tls_version tlsv1.2",
            string.Empty));
        var start = new ProcessStartInfo(mosquittoPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var mosquitto = Process.Start(start)!;
        mosquitto.BeginErrorReadLine();
        mosquitto.BeginOutputReadLine();
        await WaitForPortAsync(port, mosquitto);

        using var collectorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var collectorIssued = Issue(ca, caKey, "CN=collector", collectorKey, serverAuth: false);
        var collectorCertificate = collectorIssued.CopyWithPrivateKey(collectorKey);
        var client = new MqttClientFactory().CreateMqttClient();
        var broker = new UpstreamBroker(directory, port, GatewayProcess.FreePort(), mosquitto, client);
        client.ApplicationMessageReceivedAsync += args =>
        {
            broker.Receive(args.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        var caCopy = X509CertificateLoader.LoadCertificate(ca.RawData);
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("collector")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost("127.0.0.1")
                .WithClientCertificates([collectorCertificate])
                .WithCertificateValidationHandler(args => ChainsTo(caCopy, args.Certificate)))
            .Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("iotsec/v1/gw/+/records", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        broker.RestoreLink();
        return broker;
    }

    /// <summary>Publishes on the gateway's request topic as upstream (the collector's client).</summary>
    public Task RequestAsync(string gateway, string json) =>
        _collector.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"iotsec/v1/gw/{gateway}/requests").WithPayload(json)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Cuts the link: the relay stops, open connections through it close.</summary>
    public void CutLink()
    {
        if (_relay is { HasExited: false })
        {
            _relay.Kill(entireProcessTree: true);
            _relay.WaitForExit();
        }

        _relay?.Dispose();
        _relay = null;
    }

    /// <summary>Restores the link.</summary>
    public void RestoreLink()
    {
        CutLink();
        var start = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add($"TCP-LISTEN:{LinkPort.ToString(CultureInfo.InvariantCulture)},bind=127.0.0.1,reuseaddr,fork");
        start.ArgumentList.Add($"TCP:127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
        _relay = Process.Start(start)!;
        _relay.BeginErrorReadLine();
        WaitForPortAsync(LinkPort, _relay).GetAwaiter().GetResult();
    }

    /// <summary>Waits until <paramref name="done"/> holds over the records received.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<UpstreamRecord>, bool> done, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(Records))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"upstream did not receive the expected records within {timeout}: {Records.Count} records in {Messages} messages\n{context()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        CutLink();
        try
        {
            await _collector.DisconnectAsync();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
        }

        _collector.Dispose();
        if (!_mosquitto.HasExited)
        {
            _mosquitto.Kill();
            await _mosquitto.WaitForExitAsync();
        }

        _mosquitto.Dispose();
    }

    private void Receive(byte[] payload)
    {
        Interlocked.Add(ref _payloadBytes, payload.Length);
        Interlocked.Increment(ref _messages);
        foreach (var record in UpstreamRecord.Decode(payload))
        {
            _records.Enqueue(record);
        }
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string subject, ECDsa key, bool serverAuth)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        return request.Create(ca.SubjectName, generator, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
    }

    private static bool ChainsTo(X509Certificate2 root, X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }

        using var leaf = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        return chain.Build(leaf);
    }

    private static async Task WaitForPortAsync(int port, Process owner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !owner.HasExited)
            {
                await Task.Delay(50);
            }
        }
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

        RequiredComponent.Missing("mosquitto is not installed (Debian package mosquitto)");
        return string.Empty;
    }
}

/// <summary>One record as upstream decodes it (docs/protocols/upstream.md).</summary>
internal sealed record UpstreamRecord(string Gateway, string Device, long Sequence, long First, string Kind, long At, JsonNode? Body)
{
    public static List<UpstreamRecord> Decode(byte[] payload)
    {
        var json = payload;
        if (UpstreamBatch.IsCompressed(payload))
        {
            using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            json = output.ToArray();
        }

        var batch = JsonNode.Parse(json)!.AsObject();
        var gateway = (string)batch["gw"]!;
        return [.. batch["r"]!.AsArray().Select(r => new UpstreamRecord(
            gateway, (string)r!["d"]!, (long)r["s"]!, (long?)r["f"] ?? (long)r["s"]!, (string)r["k"]!, (long)r["t"]!, r["b"]?.DeepClone()))];
    }
}
