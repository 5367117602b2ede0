using System;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Pki;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The TLS settings of each EST connection, chosen at its handshake: the rotator's current
/// server certificate with the intermediate (rotation needs no restart), TLS 1.2 or 1.3, a
/// client certificate required and judged by <see cref="ClientIdentityResolver"/> inside the
/// handshake, so a refused client never reaches HTTP.
/// </summary>
/// <remarks>
/// Why Kestrel's TLS handshake callback and not <c>ServerCertificateSelector</c>: a selector
/// returns a bare certificate, and SslStream then looks for the intermediate in the system
/// stores, does not find it and sends the leaf alone, which devices that trust only the
/// offline root refuse. The callback hands SslStream the rotator's
/// <see cref="SslStreamCertificateContext"/> (leaf and intermediate) per connection.
/// TLS resumption is off: a resumed session skips the client-certificate check, and a device
/// revoked since its last handshake must not slip back in through a ticket.
/// </remarks>
public sealed partial class EstTlsHandshake
{
    private readonly ServerCertificateRotator _rotator;
    private readonly ClientIdentityResolver _resolver;
    private readonly DeviceConnections _connections;
    private readonly RefusalAuditor _refusals;
    private readonly ILogger<EstTlsHandshake> _logger;

    /// <summary>Creates the handshake policy.</summary>
    public EstTlsHandshake(
        ServerCertificateRotator rotator,
        ClientIdentityResolver resolver,
        DeviceConnections connections,
        RefusalAuditor refusals,
        ILogger<EstTlsHandshake> logger)
    {
        ArgumentNullException.ThrowIfNull(rotator);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(refusals);
        ArgumentNullException.ThrowIfNull(logger);
        _rotator = rotator;
        _resolver = resolver;
        _connections = connections;
        _refusals = refusals;
        _logger = logger;
    }

    /// <summary>The server options of one connection.</summary>
    public SslServerAuthenticationOptions OptionsFor(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _rotator.CurrentContext,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = false,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => Accept(connection, certificate, chain),
        };
    }

    // Whatever SslStream thought of the chain (errors against the system store) is ignored:
    // the resolver applies the gateway's own anchors and the inventory.
    private bool Accept(ConnectionContext connection, X509Certificate? certificate, X509Chain? chain)
    {
        var leaf = certificate switch
        {
            null => null,
            X509Certificate2 two => two,
            _ => X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
        };
        var result = _resolver.Resolve(leaf, chain?.ChainPolicy.ExtraStore);
        if (result.Identity is { } identity)
        {
            // A copy: SslStream owns and may dispose the certificate it passed in.
            var kept = new ClientIdentity(identity.Kind, identity.DeviceId, X509CertificateLoader.LoadCertificate(identity.Certificate.RawData));
            _connections.Register(connection, kept);
            return true;
        }

        var source = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        _refusals.Record(source, result.Refusal!.Value, result.DeviceId);
        LogRefusedHandshake(_logger, source?.ToString() ?? "unknown", EstRefusals.CodeOf(result.Refusal.Value), result.Detail);
        return false;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "EST refused the TLS handshake of {Source}: {Reason} ({Detail})")]
    private static partial void LogRefusedHandshake(ILogger logger, string source, string reason, string detail);
}
