using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IoTSec.Benchmarks;

/// <summary>
/// The broker harness's load generator: MQTTnet 5 clients over mutual TLS (each with its own
/// device certificate, trusting only the offline root), the same for both brokers. TLS 1.2:
/// what the devices speak (nanoFramework's MqttSslProtocols.TLSv1_2).
/// </summary>
internal static class BrokerBenchLoad
{
    /// <summary>Connects one client per certificate (at most <paramref name="parallelism"/> handshakes at once).</summary>
    public static async Task<List<IMqttClient>> ConnectAsync(int port, X509Certificate2 root, X509Certificate2 intermediate, IReadOnlyList<(string DeviceId, X509Certificate2 Certificate)> devices, int parallelism)
    {
        var factory = new MqttClientFactory();
        var clients = new IMqttClient[devices.Count];
        using var gate = new SemaphoreSlim(parallelism);
        var tasks = new List<Task>(devices.Count);
        for (var i = 0; i < devices.Count; i++)
        {
            var index = i;
            await gate.WaitAsync().ConfigureAwait(false);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var (deviceId, certificate) = devices[index];
                    var client = factory.CreateMqttClient();
                    var options = new MqttClientOptionsBuilder()
                        .WithTcpServer("127.0.0.1", port)
                        .WithClientId(deviceId)
                        .WithProtocolVersion(MqttProtocolVersion.V311)
                        .WithCleanSession()
                        .WithKeepAlivePeriod(TimeSpan.FromMinutes(5))
                        .WithTimeout(TimeSpan.FromSeconds(60))
                        .WithTlsOptions(tls => tls
                            .UseTls()
                            .WithTargetHost("127.0.0.1")
                            .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12)
                            .WithClientCertificates([certificate])
                            .WithCertificateValidationHandler(args => ChainsTo(root, intermediate, args.Certificate)))
                        .Build();
                    await client.ConnectAsync(options).ConfigureAwait(false);
                    clients[index] = client;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return [.. clients];
    }

    /// <summary>Each client publishes <paramref name="messages"/> QoS 1 messages of <paramref name="size"/> bytes on its own telemetry topic, awaiting each PUBACK; returns (elapsed, failures).</summary>
    public static async Task<(TimeSpan Elapsed, long Failures)> PublishAsync(IReadOnlyList<IMqttClient> clients, IReadOnlyList<string> deviceIds, int messages, int size)
    {
        var payload = JsonPayload(size);
        long failures = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new Task[clients.Count];
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"iotsec/v1/d/{deviceIds[i]}/up/telemetry")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            tasks[i] = Task.Run(async () =>
            {
                for (var n = 0; n < messages; n++)
                {
                    var result = await client.PublishAsync(message).ConfigureAwait(false);
                    if (!result.IsSuccess)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (clock.Elapsed, failures);
    }

    /// <summary>
    /// A telemetry document of exactly <paramref name="size"/> bytes, as devices send it: the
    /// daemon's allowlist checks that JSON telemetry is well-formed JSON, so both brokers get
    /// the same valid document.
    /// </summary>
    public static byte[] JsonPayload(int size)
    {
        const string head = "{\"t\":21.5,\"rh\":40,\"pad\":\"";
        const string tail = "\"}";
        var text = head + new string('x', size - head.Length - tail.Length) + tail;
        return System.Text.Encoding.ASCII.GetBytes(text);
    }

    public static async Task DisconnectAsync(IEnumerable<IMqttClient> clients)
    {
        var tasks = new List<Task>();
        foreach (var client in clients)
        {
            tasks.Add(client.DisconnectAsync());
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static bool ChainsTo(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
