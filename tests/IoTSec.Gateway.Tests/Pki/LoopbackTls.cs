using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>
/// One real TLS connection over the loopback: a server SslStream whose options are chosen per
/// handshake (as Kestrel's TLS callback and MQTTnet do, so a rotated certificate is picked up
/// without a restart) and a client SslStream.
/// </summary>
internal sealed class LoopbackTls : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TcpClient _clientSocket;
    private readonly TcpClient _serverSocket;

    private LoopbackTls(TcpListener listener, TcpClient clientSocket, TcpClient serverSocket, SslStream server, SslStream client)
    {
        _listener = listener;
        _clientSocket = clientSocket;
        _serverSocket = serverSocket;
        Server = server;
        Client = client;
    }

    public SslStream Server { get; }

    public SslStream Client { get; }

    public static async Task<LoopbackTls> ConnectAsync(Func<SslServerAuthenticationOptions> serverOptions, SslClientAuthenticationOptions clientOptions)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync(timeout.Token).AsTask();
        var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var serverSocket = await accept;

        var server = new SslStream(serverSocket.GetStream(), leaveInnerStreamOpen: false);
        var client = new SslStream(clientSocket.GetStream(), leaveInnerStreamOpen: false);
        var connection = new LoopbackTls(listener, clientSocket, serverSocket, server, client);
        try
        {
            var serverHandshake = server.AuthenticateAsServerAsync(
                (_, _, _, _) => ValueTask.FromResult(serverOptions()), null, timeout.Token);
            var clientHandshake = client.AuthenticateAsClientAsync(clientOptions, timeout.Token);

            // When one side refuses, the other sees the connection drop: collect both outcomes.
            await Task.WhenAll(serverHandshake, clientHandshake).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one message each way and checks both arrive.</summary>
    public async Task<bool> ExchangeAsync(byte marker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Client.WriteAsync(new[] { marker }, timeout.Token);
        var buffer = new byte[1];
        await Server.ReadExactlyAsync(buffer, timeout.Token);
        if (buffer[0] != marker)
        {
            return false;
        }

        await Server.WriteAsync(new[] { (byte)(marker + 1) }, timeout.Token);
        await Client.ReadExactlyAsync(buffer, timeout.Token);
        return buffer[0] == (byte)(marker + 1);
    }

    /// <summary>A device's view: trusts the offline root only, nothing from the system store.</summary>
    public static X509ChainPolicy TrustOnly(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        _clientSocket.Dispose();
        _serverSocket.Dispose();
        _listener.Stop();
    }
}
