using System;
using System.Collections.Concurrent;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Protocol.Topics;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// The device-facing MQTT broker: an MQTTnet server behind <see cref="BrokerTlsListener"/>.
/// At CONNECT the client id must equal the device id of the certificate admitted at the
/// handshake; the accepted device is kept in <see cref="ConnectedDevices"/> for the session.
/// Publishes and subscriptions pass <see cref="PublishGate"/>. It is the gateway's only
/// publisher on down/ topics (<see cref="IDeviceDownlink"/>), and drops the live session of a
/// revoked device (<see cref="DisconnectDeviceAsync"/>).
/// </summary>
public sealed partial class DeviceBroker : IDeviceDownlink, IAsyncDisposable
{
    private readonly BrokerSettings _settings;
    private readonly BrokerTlsListener _listener;
    private readonly ConnectedDevices _connected;
    private readonly DeviceInventory _inventory;
    private readonly ConnectionRefusalLedger _refusals;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceBroker> _logger;
    private readonly MqttServer _server;
    private readonly PublishGate _gate;

    // Sessions validated at CONNECT, waiting for MQTTnet to make the session (whose items are
    // not yet the validating event's when it reuses a taken-over session), by connection.
    private readonly ConcurrentDictionary<EndPoint, DeviceSession> _pending = new();

    // The items dictionary of the gateway's own publishes: an identity no client can present.
    private readonly ConcurrentDictionary<object, object> _gatewayItems = new();

    /// <summary>Creates the broker (not yet listening: <see cref="StartAsync"/>).</summary>
    public DeviceBroker(
        BrokerSettings settings,
        BrokerTlsListener listener,
        ConnectedDevices connected,
        DeviceInventory inventory,
        ConnectionRefusalLedger refusals,
        ITrafficPolicy policy,
        IHeartbeatProcessor heartbeats,
        IUpstreamQueue upstream,
        ILogger<DeviceBroker> logger,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(connected);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(refusals);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(heartbeats);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _listener = listener;
        _connected = connected;
        _inventory = inventory;
        _refusals = refusals;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger;
        _gate = new PublishGate(policy, heartbeats, upstream, _time, _gatewayItems, PublishAsGatewayAsync);

        var options = new MqttServerOptions
        {
            DefaultCommunicationTimeout = settings.CommunicationTimeout,
            EnablePersistentSessions = false,
            MaxPendingMessagesPerClient = settings.MaxPendingMessagesPerClient,
            PendingMessagesOverflowStrategy = MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage,

            // BrokerTlsListener gives each connection a packet writer of this size (ADR 0009).
            WriterBufferSize = settings.WriterBufferSize,
            WriterBufferSizeMax = settings.WriterBufferSizeMax,
        };
        options.DefaultEndpointOptions.IsEnabled = false;
        options.TlsEndpointOptions.IsEnabled = false;
        _server = new MqttServer(options, [listener], new MqttLogBridge(logger));
        _server.ValidatingConnectionAsync += OnValidatingConnection;
        _server.ClientConnectedAsync += OnClientConnected;
        _server.ClientDisconnectedAsync += OnClientDisconnected;
        _server.InterceptingPublishAsync += _gate.OnPublish;
        _server.InterceptingSubscriptionAsync += _gate.OnSubscribe;
    }

    /// <summary>The bound endpoint once started.</summary>
    public IPEndPoint? LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>The devices connected now.</summary>
    public ConnectedDevices Connected => _connected;

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _server.StartAsync().ConfigureAwait(false);
        LogListening(_logger, _listener.LocalEndPoint?.ToString() ?? _settings.Address);
        if (_settings.ReleaseIdleTlsBuffers && !TlsRecordBuffers.IsSupported)
        {
            // Not fatal (connections work, they are larger): said once so the memory figure is explained.
            LogBuffersKept(_logger);
        }
    }

    /// <summary>Stops listening and closes every session.</summary>
    public Task StopAsync() => _server.IsStarted ? _server.StopAsync(new MqttServerStopOptions()) : Task.CompletedTask;

    /// <summary>Drops the live session of <paramref name="deviceId"/>, if any; returns true when there was one.</summary>
    public async Task<bool> DisconnectDeviceAsync(string deviceId, string reason)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_connected.TryGet(deviceId, out _) || !_server.IsStarted)
        {
            return false;
        }

        try
        {
            await _server.DisconnectClientAsync(deviceId, new MqttServerClientDisconnectOptions
            {
                ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                ReasonString = reason,
            }).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Gone between the look-up and the disconnect.
            return false;
        }
    }

    /// <inheritdoc />
    public Task SendAsync(string deviceId, TopicKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (DeviceTopics.IsUplink(kind) || !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"{kind} is not a downlink kind: the gateway publishes only on down/ topics", nameof(kind));
        }

        var topic = new DeviceTopics(deviceId).Get(kind);
        return PublishAsGatewayAsync(topic, payload.ToArray(), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }

    private Task PublishAsGatewayAsync(string topic, byte[] payload) => PublishAsGatewayAsync(topic, payload, CancellationToken.None);

    private Task PublishAsGatewayAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new System.Buffers.ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        return _server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message) { SenderClientId = string.Empty, CustomSessionItems = _gatewayItems }, cancellationToken);
    }

    private Task OnValidatingConnection(ValidatingConnectionEventArgs args)
    {
        var source = (args.RemoteEndPoint as IPEndPoint)?.Address;
        if (!_listener.TryGetAdmitted(args.ClientCertificate, out var admitted) || admitted is null)
        {
            // Only connections through our listener reach here, all admitted: fail closed anyway.
            args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            _refusals.Record(source, ConnectionRefusal.NoCertificate, null, "no admitted certificate behind this connection");
            return Task.CompletedTask;
        }

        if (!string.Equals(args.ClientId, admitted.DeviceId, StringComparison.Ordinal))
        {
            args.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            _refusals.Record(source, ConnectionRefusal.ClientIdMismatch, admitted.DeviceId, $"client id '{Printable(args.ClientId)}' is not the certificate's device id");
            return Task.CompletedTask;
        }

        // Revoked between the handshake and CONNECT: the revocation event may have found no session yet.
        if (_inventory.IsDeviceRevoked(admitted.DeviceId))
        {
            args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            _refusals.Record(source, ConnectionRefusal.DeviceClosed, admitted.DeviceId, "revoked since the handshake");
            return Task.CompletedTask;
        }

        var device = new EdgeDevice(admitted.DeviceId, admitted.DeviceClass, admitted.CertificateSerial, source, _time.GetUtcNow(), admitted.Quarantined);
        var session = new DeviceSession(device);
        args.SessionItems[DeviceSession.ItemKey] = session;
        if (args.RemoteEndPoint is { } endpoint)
        {
            _pending[endpoint] = session;
        }

        return Task.CompletedTask;
    }

    private Task OnClientConnected(ClientConnectedEventArgs args)
    {
        if (args.RemoteEndPoint is { } endpoint && _pending.TryRemove(endpoint, out var session))
        {
            // The session's own items (a reused session's too) now name this connection's device.
            args.SessionItems[DeviceSession.ItemKey] = session;
            _connected.Add(session.Device);
            LogConnected(_logger, session.Device.DeviceId, session.Device.DeviceClass, endpoint.ToString() ?? "-");
        }

        return Task.CompletedTask;
    }

    private Task OnClientDisconnected(ClientDisconnectedEventArgs args)
    {
        if (args.RemoteEndPoint is { } endpoint)
        {
            _pending.TryRemove(endpoint, out _);
        }

        if (args.SessionItems?[DeviceSession.ItemKey] is DeviceSession session)
        {
            _connected.Remove(session.Device);
            LogDisconnected(_logger, session.Device.DeviceId, args.DisconnectType.ToString());
        }

        return Task.CompletedTask;
    }

    // A refused client id goes into a log line: short and printable.
    private static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var chars = (value.Length > 64 ? value[..64] : value).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "device broker listening on {Endpoint} (MQTT over mutual TLS)")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "this runtime does not let the broker release idle TLS record buffers (ADR 0009): each device connection keeps about 32 KB more")]
    private static partial void LogBuffersKept(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "device {DeviceId} (class {DeviceClass}) connected from {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string deviceId, string deviceClass, string endpoint);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "device {DeviceId} disconnected ({How})")]
    private static partial void LogDisconnected(ILogger logger, string deviceId, string how);
}
