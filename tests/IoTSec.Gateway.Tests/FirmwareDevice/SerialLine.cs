using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using IoTSec.Protocol.Console;

namespace IoTSec.Gateway.Tests.FirmwareDevice;

/// <summary>
/// An in-process serial line: two <see cref="IByteChannel"/> ends, each reading what the other
/// wrote, in order, with the read timeouts a UART has. The serial path itself (System.IO.Ports
/// over a socat pseudo-terminal pair) has its own tests in IoTSec.Firmware.Tests.Console.
/// </summary>
internal sealed class SerialLine
{
    public SerialLine()
    {
        var a = new Inbox();
        var b = new Inbox();
        Tool = new End(a, b);
        Device = new End(b, a);
    }

    /// <summary>The provisioning tool's end.</summary>
    public IByteChannel Tool { get; }

    /// <summary>The device's console end.</summary>
    public IByteChannel Device { get; }

    private sealed class Inbox
    {
        private readonly Queue<byte> _bytes = new();

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            var clock = Stopwatch.StartNew();
            lock (_bytes)
            {
                while (_bytes.Count == 0)
                {
                    var remaining = timeoutMs - (int)clock.ElapsedMilliseconds;
                    if (remaining <= 0)
                    {
                        return 0;
                    }

                    Monitor.Wait(_bytes, remaining);
                }

                var n = 0;
                while (n < count && _bytes.Count > 0)
                {
                    buffer[offset + n++] = _bytes.Dequeue();
                }

                return n;
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_bytes)
            {
                for (var i = 0; i < count; i++)
                {
                    _bytes.Enqueue(buffer[offset + i]);
                }

                Monitor.PulseAll(_bytes);
            }
        }
    }

    private sealed class End(Inbox incoming, Inbox outgoing) : IByteChannel
    {
        public int Read(byte[] buffer, int offset, int count, int timeoutMs) => incoming.Read(buffer, offset, count, timeoutMs);

        public void Write(byte[] buffer, int offset, int count) => outgoing.Write(buffer, offset, count);
    }
}
