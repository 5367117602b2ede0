using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Pki;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// The broker's mutual-TLS listener, in place of MQTTnet's own TCP/TLS adapter. Each
/// connection's handshake takes the rotator's current <see cref="SslStreamCertificateContext"/>
/// (so the intermediate is sent, and a rotation applies to new connections while live ones
/// keep theirs), requires TLS 1.2 or 1.3 and a client certificate, and judges that certificate
/// with <see cref="DeviceAdmission"/> inside the handshake, so a refused client never reaches
/// MQTT. The admitted device is attached to the certificate the MQTT layer sees, for the
/// client-id check at CONNECT.
/// </summary>
/// <remarks>
/// Why not MQTTnet's adapter (read in MQTTnet 5.2's MqttTcpServerListener): it hands SslStream
/// a bare <c>ServerCertificate</c> from its certificate provider, so SslStream looks for the
/// intermediate in the system stores, does not find it and sends the leaf alone, which devices
/// trusting only the offline root refuse; and it cannot turn TLS resumption off. A resumed
/// session skips the client-certificate check, so a device revoked since its last handshake
/// could slip back in through a ticket: resumption is off here.
/// </remarks>
public sealed class BrokerTlsListener : IMqttServerAdapter
{
    private readonly BrokerSettings _settings;
    private readonly ServerCertificateRotator _rotator;
    private readonly DeviceAdmission _admission;
    private readonly ConnectionRefusalLedger _refusals;
    private readonly ConditionalWeakTable<X509Certificate2, AdmittedDevice> _admitted = [];
    private Socket? _socket;
    private CancellationTokenSource? _stopping;
    private IMqttNetLogger _mqttLogger = MqttNetNullLogger.Instance;
    private MqttServerOptions? _serverOptions;
    private int _open;
    private long _releasing;

    /// <summary>Listens as <paramref name="settings"/> say, with certificates from <paramref name="rotator"/>.</summary>
    public BrokerTlsListener(BrokerSettings settings, ServerCertificateRotator rotator, DeviceAdmission admission, ConnectionRefusalLedger refusals)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(rotator);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(refusals);
        _settings = settings;
        _rotator = rotator;
        _admission = admission;
        _refusals = refusals;
    }

    /// <inheritdoc />
    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The bound endpoint once started (the port chosen when 0 was configured).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Connections open now (handshaking or in session).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections accepted since start whose TLS record buffers OpenSSL frees while they are idle (ADR 0009).</summary>
    public long ConnectionsReleasingTlsBuffers => Interlocked.Read(ref _releasing);

    /// <summary>The device admitted at the handshake that presented <paramref name="certificate"/> (the instance MQTTnet reports).</summary>
    public bool TryGetAdmitted(X509Certificate2? certificate, out AdmittedDevice? device)
    {
        device = null;
        return certificate is not null && _admitted.TryGetValue(certificate, out device);
    }

    /// <inheritdoc />
    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_socket is not null)
        {
            throw new InvalidOperationException("the broker listener is already started");
        }

        _serverOptions = options;
        _mqttLogger = logger ?? MqttNetNullLogger.Instance;
        var address = _settings.ListenAddress;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = address.Equals(IPAddress.IPv6Any);
        }

        socket.Bind(new IPEndPoint(address, _settings.Port));
        socket.Listen(1024);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _socket = socket;
        _stopping = new CancellationTokenSource();
        _ = Task.Run(() => AcceptLoopAsync(socket, _stopping.Token));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync()
    {
        // Idempotent: MQTTnet stops its adapters, and the container disposes this one again.
        var stopping = Interlocked.Exchange(ref _stopping, null);
        stopping?.Cancel();
        stopping?.Dispose();
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => StopAsync();

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before accept completed: nothing to do for it.
                continue;
            }

            if (Interlocked.Increment(ref _open) > _settings.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                _refusals.Record((client.RemoteEndPoint as IPEndPoint)?.Address, ConnectionRefusal.TooManyConnections, null, $"limit {_settings.MaxConnections}");
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => HandleAsync(client, stopping), CancellationToken.None);
        }
    }

    private async Task HandleAsync(Socket socket, CancellationToken stopping)
    {
        var remote = socket.RemoteEndPoint;
        var source = (remote as IPEndPoint)?.Address;
        var judged = false;
        AdmittedDevice? admitted = null;
        Stream? stream = null;
        try
        {
            socket.NoDelay = true;
            var network = new NetworkStream(socket, ownsSocket: true);
            stream = network;
            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            stream = tls;
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _rotator.CurrentContext,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                AllowTlsResume = false,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    judged = true;
                    var result = _admission.Admit(AsCertificate2(certificate), chain?.ChainPolicy.ExtraStore);
                    if (result.Device is null)
                    {
                        _refusals.Record(source, result.Refusal!.Value, result.DeviceId, result.Detail);
                        return false;
                    }

                    admitted = result.Device;
                    return true;
                },
            };

            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                handshake.CancelAfter(_settings.HandshakeTimeout);
                try
                {
                    await tls.AuthenticateAsServerAsync(options, handshake.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
                {
                    if (!judged && !stopping.IsCancellationRequested)
                    {
                        _refusals.Record(source, ConnectionRefusal.HandshakeFailed, null, e.GetType().Name + ": " + e.Message);
                    }

                    return;
                }
            }

            // Before the first read or write (no other thread uses the connection yet): let
            // OpenSSL free the 32 KB of record buffers while the device is idle (ADR 0009).
            if (_settings.ReleaseIdleTlsBuffers && TlsRecordBuffers.TryRelease(tls))
            {
                Interlocked.Increment(ref _releasing);
            }

            // The certificate MQTTnet will report for this connection; the admitted device
            // rides on it (weakly: it goes when the connection does).
            var leaf = AsCertificate2(tls.RemoteCertificate)!;
            _admitted.AddOrUpdate(leaf, admitted!);
            BrokerMetrics.ConnectionsAccepted.Add(1);

            var handler = ClientHandler;
            if (handler is null)
            {
                return;
            }

            var options2 = _serverOptions!;
            var channel = new MqttTcpChannel(tls, LocalEndPoint, remote, leaf);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options2.WriterBufferSize, options2.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger);
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or the broker is stopping: the session ends, nothing to report.
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            Interlocked.Decrement(ref _open);
        }
    }

    private static X509Certificate2? AsCertificate2(X509Certificate? certificate) => certificate switch
    {
        null => null,
        X509Certificate2 two => two,
        _ => X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
    };
}
