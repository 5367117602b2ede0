using System;
using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Firmware.Platform;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// The desktop device's MQTT session with the gateway broker: MQTTnet's client, MQTT 3.1.1
/// (what nanoFramework.M2Mqtt speaks), clean session, TLS 1.2 or newer with the device's
/// certificate, and the broker's certificate accepted only when it chains to the provisioned
/// trust anchor and names the host (<see cref="MqttNetLinkTrust"/>). Blocking, as the firmware
/// core's <see cref="IMqttLink"/> is.
/// </summary>
public sealed class MqttNetLink : IMqttLink, IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly IMqttClient _client;
    private IMqttMessageHandler? _handler;
    private X509Certificate2? _clientCertificate;
    private X509Certificate2? _trustAnchor;
    private volatile bool _closing;

    /// <summary>Creates a link (not connected).</summary>
    /// <param name="timeout">Longest wait for the connection, a subscription or a publish acknowledgement.</param>
    public MqttNetLink(TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <inheritdoc />
    public void Connect(string host, int port, string clientId, TlsClientCredentials credentials, IMqttMessageHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(handler);
        if (_client.IsConnected)
        {
            throw new InvalidOperationException("already connected");
        }

        _clientCertificate?.Dispose();
        _trustAnchor?.Dispose();
        _clientCertificate = MqttNetLinkTrust.ClientCertificate(credentials);
        _trustAnchor = X509CertificateLoader.LoadCertificate(credentials.TrustAnchor);
        var anchor = _trustAnchor;
        _handler = handler;
        _closing = false;

        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(_timeout)
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(host)
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithClientCertificates([_clientCertificate])
                .WithCertificateValidationHandler(args => MqttNetLinkTrust.IsTrustedServer(args.Certificate, args.Chain, args.SslPolicyErrors, anchor)))
            .Build();
        try
        {
            var result = Wait(token => _client.ConnectAsync(options, token), "connect");
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new NetworkException($"the broker refused the connection: {result.ResultCode}");
            }
        }
        catch (NetworkException)
        {
            throw;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or AuthenticationException or System.IO.IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            throw new NetworkException($"cannot connect to {host}:{port}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Subscribe(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        EnsureConnected();
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter => filter.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        MqttClientSubscribeResult result;
        try
        {
            result = Wait(token => _client.SubscribeAsync(options, token), "subscribe");
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            throw new NetworkException($"subscribe failed: {e.Message}", e);
        }

        foreach (var item in result.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            {
                throw new NetworkException($"the broker refused the subscription: {item.ResultCode}");
            }
        }
    }

    /// <inheritdoc />
    public void Publish(string topic, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(payload);
        EnsureConnected();
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        MqttClientPublishResult result;
        try
        {
            result = Wait(token => _client.PublishAsync(message, token), "publish");
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            throw new NetworkException($"publish failed: {e.Message}", e);
        }

        if (!result.IsSuccess)
        {
            throw new NetworkException($"the broker refused the publish: {result.ReasonCode}");
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        _closing = true;
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            Wait(async token =>
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), token).ConfigureAwait(false);
                return true;
            }, "disconnect");
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The connection is gone either way.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Disconnect();
        _client.Dispose();
        _clientCertificate?.Dispose();
        _trustAnchor?.Dispose();
    }

    private void EnsureConnected()
    {
        if (!_client.IsConnected)
        {
            throw new NetworkException("not connected to the broker");
        }
    }

    private T Wait<T>(Func<CancellationToken, Task<T>> operation, string what)
    {
        using var cancel = new CancellationTokenSource(_timeout);
        try
        {
            return operation(cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new NetworkException($"{what}: no answer within {_timeout.TotalSeconds} s", e);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        _handler?.OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (!_closing && e.ClientWasConnected)
        {
            _handler?.OnConnectionLost(e.Exception?.Message ?? e.Reason.ToString());
        }

        return Task.CompletedTask;
    }
}
