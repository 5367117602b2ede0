using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The EST listener on Kestrel: the configured address and port, HTTP/1.1 over TLS with the
/// per-connection settings of <see cref="EstTlsHandshake"/>, and limits that keep a flood of
/// connections or oversized bodies from exhausting the gateway.
/// </summary>
/// <remarks>
/// HTTP/1.1 only: the device's EST client is a small HTTP/1.1 client over SslStream
/// (nanoFramework's HttpClient cannot present a client certificate, ARCHITECTURE), and one
/// request per connection is the common case.
/// The TLS policy is resolved at the first handshake, not here: Kestrel's options are made when
/// the host is built, and resolving the policy would open the key store and the PKI before the
/// host has validated its configuration.
/// </remarks>
internal sealed class EstKestrelSetup(IOptions<EstOptions> options, IServiceProvider services) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var settings = options.Value;
        var handshake = new Lazy<EstTlsHandshake>(services.GetRequiredService<EstTlsHandshake>);
        var callback = new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(handshake.Value.OptionsFor(context.Connection)),
            HandshakeTimeout = settings.HandshakeTimeout,
        };
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
        kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        kestrel.Listen(settings.ListenAddress, settings.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(callback);
        });
    }
}
