using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>An established <see cref="SslStream"/> as the core's blocking byte pipe.</summary>
internal sealed class SslStreamChannel(TcpClient socket, SslStream tls) : ISecureChannel
{
    private bool _closed;

    public int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return tls.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new NetworkException("TLS read failed: " + e.Message, e);
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            tls.Write(buffer, offset, count);
            tls.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new NetworkException("TLS write failed: " + e.Message, e);
        }
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            tls.ShutdownAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // close_notify is a courtesy: the peer may have closed first.
        }
        finally
        {
            tls.Dispose();
            socket.Dispose();
        }
    }
}
