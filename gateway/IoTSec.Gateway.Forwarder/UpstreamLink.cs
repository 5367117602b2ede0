using System;
using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// The MQTT connection to the upstream broker: MQTT 3.1.1 (what Azure IoT Hub and AWS IoT Core
/// both speak) over TLS 1.2+ with the gateway's client certificate, the broker's certificate
/// checked against the configured CA only (not the system store) and its name. Publishes with
/// QoS 1 and reports success only on the broker's PUBACK. Subscribes to the request topic.
/// </summary>
public sealed class UpstreamLink : IAsyncDisposable
{
    private readonly UpstreamSettings _settings;
    private readonly string _clientId;
    private readonly string? _requestTopic;
    private readonly UpstreamClientIdentity _identity;
    private readonly X509Certificate2Collection _trust;
    private readonly IMqttClient _client;

    /// <summary>Creates it (not connected).</summary>
    /// <param name="settings">The upstream settings.</param>
    /// <param name="clientId">The MQTT client id.</param>
    /// <param name="identity">The client certificate.</param>
    /// <param name="trust">The CA certificate(s) the broker's certificate must chain to.</param>
    /// <param name="onRequest">Called with each message on the request topic.</param>
    public UpstreamLink(UpstreamSettings settings, string clientId, UpstreamClientIdentity identity, X509Certificate2Collection trust, Func<byte[], Task> onRequest)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(onRequest);
        _settings = settings;
        _clientId = clientId;
        _requestTopic = settings.RequestTopicFor(clientId);
        _identity = identity;
        _trust = trust;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += args => onRequest(args.ApplicationMessage.Payload.ToArray());
    }

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects (and subscribes to the request topic).</summary>
    /// <exception cref="UpstreamLinkException">The broker refused the connection or the subscription.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var serverName = _settings.ServerName.Length > 0 ? _settings.ServerName : _settings.Host;
        var builder = new MqttClientOptionsBuilder();
        if (_settings.Username.Length > 0)
        {
            // Only a name: the certificate authenticates; no password is ever configured.
            builder = builder.WithCredentials(_settings.Username, (byte[]?)null);
        }

        var options = builder
            .WithTcpServer(_settings.Host, _settings.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithKeepAlivePeriod(_settings.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(serverName)
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithClientCertificatesProvider(_identity)
                .WithCertificateValidationHandler(args => Trusted(args.Certificate, args.SslPolicyErrors)))
            .Build();
        var result = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new UpstreamLinkException($"the upstream broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        if (_requestTopic is not null)
        {
            var subscription = await _client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_requestTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in subscription.Items)
            {
                if ((int)item.ResultCode > 2)
                {
                    // Not fatal: records still flow; upstream can only not ask for snapshots.
                    throw new UpstreamLinkException($"the upstream broker refused the subscription to {_requestTopic} ({item.ResultCode}); set IoTSec:Upstream:RequestTopic or \"none\"");
                }
            }
        }
    }

    /// <summary>Publishes with QoS 1; returns once the broker acknowledged it.</summary>
    /// <exception cref="UpstreamLinkException">The broker answered with a failure.</exception>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new UpstreamLinkException($"the upstream broker did not accept a message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>Disconnects cleanly when connected.</summary>
    public async Task DisconnectAsync()
    {
        if (_client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            // Leaving anyway.
        }

        _client.Dispose();
    }

    // The broker's certificate must carry the expected name and chain to the configured CA
    // alone: a certificate from a public CA for another site is not upstream.
    private bool Trusted(X509Certificate certificate, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trust);
        chain.ChainPolicy.ExtraStore.AddRange(_trust);
        return chain.Build(leaf);
    }
}

/// <summary>The upstream broker refused something (connection, subscription, publish); transient: the forwarder reconnects.</summary>
public sealed class UpstreamLinkException : Exception
{
    /// <summary>Creates it.</summary>
    public UpstreamLinkException()
    {
    }

    /// <summary>Creates it.</summary>
    public UpstreamLinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates it.</summary>
    public UpstreamLinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
