using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// The gateway's side of the device's MQTT traffic for these tests: an MQTTnet client with the
/// identity "gateway" on the real broker, subscribed to every device's up/ topics, which can
/// publish on down/ topics. It plays the gateway's heartbeat service with the real
/// HeartbeatDecoder and HeartbeatChainVerifier in the tests themselves.
/// </summary>
internal sealed class GatewayStandIn : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Dictionary<string, Queue<byte[]>> _received = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private GatewayStandIn(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            lock (_gate)
            {
                if (!_received.TryGetValue(e.ApplicationMessage.Topic, out var queue))
                {
                    queue = new Queue<byte[]>();
                    _received[e.ApplicationMessage.Topic] = queue;
                }

                queue.Enqueue(e.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
    }

    public static async Task<GatewayStandIn> ConnectAsync(MosquittoBroker broker, TestPki pki)
    {
        var (certificate, key) = pki.Client("gateway");
        using (key)
        using (certificate)
        {
            var withKey = certificate.CopyWithPrivateKey(key);
            var root = pki.Root;
            var client = new MqttClientFactory().CreateMqttClient();
            var stand = new GatewayStandIn(client);
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", broker.Port)
                .WithClientId("gateway-" + Guid.NewGuid().ToString("N")[..8])
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithCleanSession()
                .WithTlsOptions(tls => tls
                    .UseTls()
                    .WithTargetHost("127.0.0.1")
                    .WithSslProtocols(SslProtocols.Tls12)
                    .WithClientCertificates([withKey])
                    .WithCertificateValidationHandler(args => args.Certificate is not null))
                .Build();
            await client.ConnectAsync(options);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic("iotsec/v1/d/+/up/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build());
            return stand;
        }
    }

    /// <summary>Takes the next message on <paramref name="topic"/>, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<byte[]> NextAsync(string topic, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                if (_received.TryGetValue(topic, out var queue) && queue.Count > 0)
                {
                    return queue.Dequeue();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"nothing on {topic} within {timeout}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>How many messages on <paramref name="topic"/> arrived and were not taken.</summary>
    public int Waiting(string topic)
    {
        lock (_gate)
        {
            return _received.TryGetValue(topic, out var queue) ? queue.Count : 0;
        }
    }

    public async Task PublishAsync(string topic, byte[] payload)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.IsTrue(result.IsSuccess, result.ReasonString);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
