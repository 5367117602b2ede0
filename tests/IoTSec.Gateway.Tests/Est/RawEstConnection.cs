using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>
/// One mutual-TLS connection speaking HTTP/1.1 by hand, for what HttpClient hides: a request
/// whose body arrives in two parts (a slow device), and an idle keep-alive connection whose
/// closing by the server the test times.
/// </summary>
internal sealed class RawEstConnection : IAsyncDisposable
{
    private readonly TcpClient _socket;
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _buffered;

    private RawEstConnection(TcpClient socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public static async Task<RawEstConnection> OpenAsync(EstTestGateway gateway, X509Certificate2 clientCertificate, CancellationToken cancellation)
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, gateway.Port, cancellation);
        var tls = new SslStream(socket.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(gateway.ClientTls(clientCertificate), cancellation);
        }
        catch
        {
            await tls.DisposeAsync();
            socket.Dispose();
            throw;
        }

        return new RawEstConnection(socket, tls);
    }

    /// <summary>Sends the request line and headers (Host added); the body follows with <see cref="SendAsync"/>.</summary>
    public async Task SendHeadAsync(string method, string path, IReadOnlyDictionary<string, string> headers, CancellationToken cancellation)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        await _tls.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellation);
        await _tls.FlushAsync(cancellation);
    }

    public async Task SendAsync(byte[] bytes, CancellationToken cancellation)
    {
        await _tls.WriteAsync(bytes, cancellation);
        await _tls.FlushAsync(cancellation);
    }

    /// <summary>Reads one response (status, headers, Content-Length body).</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadResponseAsync(CancellationToken cancellation)
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            await FillAsync(cancellation);
        }

        var head = Encoding.ASCII.GetString(_buffer, 0, headEnd);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        var start = headEnd + 4;
        while (_buffered < start + length)
        {
            await FillAsync(cancellation);
        }

        var body = Encoding.UTF8.GetString(_buffer, start, length);
        Array.Copy(_buffer, start + length, _buffer, 0, _buffered - start - length);
        _buffered -= start + length;
        return (status, headers, body);
    }

    /// <summary>Waits until the server closes the connection (a read returns 0 or fails).</summary>
    public async Task WaitForCloseAsync(CancellationToken cancellation)
    {
        try
        {
            while (await _tls.ReadAsync(_buffer.AsMemory(_buffered), cancellation) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed as well.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _socket.Dispose();
    }

    private int IndexOfHeadEnd() => _buffer.AsSpan(0, _buffered).IndexOf("\r\n\r\n"u8);

    private async Task FillAsync(CancellationToken cancellation)
    {
        var read = await _tls.ReadAsync(_buffer.AsMemory(_buffered), cancellation);
        if (read == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        _buffered += read;
    }
}
