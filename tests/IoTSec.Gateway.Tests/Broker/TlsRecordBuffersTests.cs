using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// <see cref="TlsRecordBuffers"/> on real mutual-TLS connections over loopback sockets (.NET's
/// SslStream on this machine's OpenSSL 3): the mode is set and read back from OpenSSL, and data
/// still flows both ways afterwards — small packets, records larger than one 16 KB buffer, and
/// reads and writes at the same time, which is how the broker's receive and send loops use a
/// connection once its buffers are released and re-allocated per record.
/// </summary>
[TestClass]
public sealed class TlsRecordBuffersTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(SslProtocols.Tls12)]
    [DataRow(SslProtocols.Tls13)]
    public async Task AReleasingConnectionCarriesSmallAndLargeRecordsBothWaysAtOnce(SslProtocols protocol)
    {
        if (!TlsRecordBuffers.IsSupported)
        {
            // The gateway runs on Linux with OpenSSL 3: a runtime whose SslStream no longer has
            // the expected layout must be noticed in CI, not silently cost 32 KB per device.
            RequiredComponent.Missing("SslStream's OpenSSL handle (Linux, .NET 10, libssl.so.3): TlsRecordBuffers cannot release record buffers on this runtime");
        }

        await using var pair = await TlsPair.OpenAsync(protocol, TestContext.CancellationToken);
        Assert.IsFalse(TlsRecordBuffers.IsReleasing(pair.Server), ".NET sets no release mode of its own");
        Assert.IsTrue(TlsRecordBuffers.TryRelease(pair.Server));
        Assert.IsTrue(TlsRecordBuffers.IsReleasing(pair.Server), "the mode read back from OpenSSL");

        var small = RandomNumberGenerator.GetBytes(4);
        var large = RandomNumberGenerator.GetBytes(40_000);
        for (var round = 0; round < 3; round++)
        {
            // Device to gateway and gateway to device at the same time: the server reads
            // (SSL_read, freeing its read buffer when the record is consumed) while it writes.
            var upload = Task.Run(async () =>
            {
                await pair.Client.WriteAsync(large, TestContext.CancellationToken);
                await pair.Client.WriteAsync(small, TestContext.CancellationToken);
            });
            var serverRead = ReadExactlyAsync(pair.Server, large.Length + small.Length);
            await pair.Server.WriteAsync(large, TestContext.CancellationToken);
            await pair.Server.WriteAsync(small, TestContext.CancellationToken);
            var clientRead = await ReadExactlyAsync(pair.Client, large.Length + small.Length);
            await upload;

            CollectionAssert.AreEqual(Concat(large, small), await serverRead, $"round {round}: what the gateway read");
            CollectionAssert.AreEqual(Concat(large, small), clientRead, $"round {round}: what the device read");
        }

        Assert.IsTrue(TlsRecordBuffers.IsReleasing(pair.Server), "the mode stays for the connection's life");
    }

    [TestMethod]
    public async Task AnUnauthenticatedStreamIsLeftAlone()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.CancellationToken);
        await using var stream = new SslStream(client.GetStream());
        Assert.IsFalse(TlsRecordBuffers.TryRelease(stream));
    }

    private async Task<byte[]> ReadExactlyAsync(SslStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, TestContext.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(15), TestContext.CancellationToken);
        return buffer;
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var all = new byte[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        return all;
    }

    /// <summary>A mutual-TLS connection over loopback: a self-signed P-256 CA, a server and a client certificate.</summary>
    private sealed class TlsPair : IAsyncDisposable
    {
        private readonly X509Certificate2[] _certificates;

        private TlsPair(SslStream server, SslStream client, X509Certificate2[] certificates)
        {
            Server = server;
            Client = client;
            _certificates = certificates;
        }

        public SslStream Server { get; }

        public SslStream Client { get; }

        public static async Task<TlsPair> OpenAsync(SslProtocols protocol, System.Threading.CancellationToken cancellationToken)
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=record buffers test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddHours(2));
            var server = Issue(ca, "CN=gateway", "1.3.6.1.5.5.7.3.1");
            var client = Issue(ca, "CN=sensor-0001", "1.3.6.1.5.5.7.3.2");

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var accept = listener.AcceptTcpClientAsync(cancellationToken).AsTask();
            var clientTcp = new TcpClient();
            await clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
            var serverTcp = await accept;

            // The test trusts exactly its own CA: the callbacks check the chain's root by thumbprint.
            bool TrustOurCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
                certificate is not null && chain is not null && chain.ChainElements.Count > 0
                && string.Equals(chain.ChainElements[^1].Certificate.Thumbprint, ca.Thumbprint, StringComparison.Ordinal);

            var serverStream = new SslStream(serverTcp.GetStream(), leaveInnerStreamOpen: false);
            var clientStream = new SslStream(clientTcp.GetStream(), leaveInnerStreamOpen: false);
            var serverHandshake = serverStream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = server,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = protocol,
                    AllowTlsResume = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = TrustOurCa,
                    CertificateChainPolicy = CustomTrust(ca),
                },
                cancellationToken);
            await clientStream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "gateway",
                    ClientCertificates = [client],
                    EnabledSslProtocols = protocol,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = TrustOurCa,
                    CertificateChainPolicy = CustomTrust(ca),
                },
                cancellationToken);
            await serverHandshake;
            return new TlsPair(serverStream, clientStream, [server, client]);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            foreach (var certificate in _certificates)
            {
                certificate.Dispose();
            }
        }

        private static X509ChainPolicy CustomTrust(X509Certificate2 ca)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(ca);
            return policy;
        }

        private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string usage)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("gateway");
            request.CertificateExtensions.Add(names.Build());
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(8));
            using var withKey = issued.CopyWithPrivateKey(key);

            // A PKCS#12 round trip: SslStream cannot present an ephemeral key on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }
}
