using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// The service manager's end of systemd's notify protocol: a unix datagram socket whose path
/// goes into the daemon's NOTIFY_SOCKET, collecting each datagram ("READY=1\nSTATUS=…") as
/// systemd does.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<(DateTime At, string Message)> _messages = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;

    public NotifySocket(string directory)
    {
        Path = System.IO.Path.Combine(directory, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiver = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public List<(DateTime At, string Message)> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Waits for <paramref name="count"/> datagrams with a line equal to <paramref name="line"/>; returns when the last arrived.</summary>
    public async Task<DateTime> WaitForAsync(string line, TimeSpan timeout, int count = 1, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = Messages.FindAll(m => m.Message.Split('\n').Contains(line));
            if (found.Count >= count)
            {
                return found[count - 1].At;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no {count}× '{line}' on NOTIFY_SOCKET within {timeout}; received: [{string.Join(" | ", Messages.ConvertAll(m => m.Message))}]\n{context?.Invoke()}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiver.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The receive loop ends with the socket.
        }

        _stop.Dispose();
        File.Delete(Path);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_gate)
            {
                _messages.Add((DateTime.UtcNow, Encoding.UTF8.GetString(buffer, 0, length)));
            }
        }
    }
}
