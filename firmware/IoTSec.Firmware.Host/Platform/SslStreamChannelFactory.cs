using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// The desktop device layer's mutual TLS: a TCP connection wrapped in <see cref="SslStream"/>,
/// TLS 1.2 or 1.3, presenting the device certificate built from its DER and PKCS#8 key, and
/// trusting for the server exactly what a device trusts: a chain to the provisioned root
/// (<see cref="X509ChainTrustMode.CustomRootTrust"/>, the system store ignored) and the
/// provisioned host name. As on the device, nothing is trusted on first use.
/// </summary>
public sealed class SslStreamChannelFactory : ISecureChannelFactory
{
    /// <inheritdoc />
    public ISecureChannel Connect(string host, int port, TlsClientCredentials credentials, int timeoutMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutMs);

        using var clientCertificate = ClientCertificate(credentials);
        using var anchor = X509CertificateLoader.LoadCertificate(credentials.TrustAnchor);
        var socket = new TcpClient { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
        SslStream? tls = null;
        try
        {
            using var timeout = new CancellationTokenSource(timeoutMs);
            socket.ConnectAsync(host, port, timeout.Token).AsTask().GetAwaiter().GetResult();
            tls = new SslStream(socket.GetStream(), leaveInnerStreamOpen: false);
            tls.AuthenticateAsClientAsync(Options(host, clientCertificate, anchor), timeout.Token).GetAwaiter().GetResult();
            tls.ReadTimeout = timeoutMs;
            tls.WriteTimeout = timeoutMs;
            return new SslStreamChannel(socket, tls);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            tls?.Dispose();
            socket.Dispose();
            throw new NetworkException($"TLS connection to {host}:{port} failed: {e.Message}", e);
        }
    }

    private static SslClientAuthenticationOptions Options(string host, X509Certificate2 clientCertificate, X509Certificate2 anchor)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationFlags = X509VerificationFlags.NoFlag,
        };
        policy.CustomTrustStore.Add(anchor);
        return new SslClientAuthenticationOptions
        {
            // SslStream matches host against the server certificate's SAN (DNS name or IP
            // address) and fails the handshake on a mismatch; with no validation callback any
            // chain or name error fails it too.
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            CertificateChainPolicy = policy,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    /// <summary>The device certificate with its private key, from DER and PKCS#8 (EC or RSA, as the device layer takes them).</summary>
    private static X509Certificate2 ClientCertificate(TlsClientCredentials credentials)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(credentials.Certificate);
        try
        {
            using var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(credentials.PrivateKey, out _);
            return certificate.CopyWithPrivateKey(ec);
        }
        catch (CryptographicException)
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(credentials.PrivateKey, out _);
            return certificate.CopyWithPrivateKey(rsa);
        }
    }
}
