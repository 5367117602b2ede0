using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>One end of an in-memory serial line: reads wait on an inbox, writes go into a <see cref="LossyLink"/>.</summary>
internal sealed class PipeEnd : IByteChannel
{
    private readonly object _gate = new();
    private readonly Queue<byte> _inbox = new();

    public LossyLink? Outbound { get; set; }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (_inbox.Count == 0)
            {
                int remaining = timeoutMs - (int)clock.ElapsedMilliseconds;
                if (remaining <= 0 || !Monitor.Wait(_gate, remaining))
                {
                    if (_inbox.Count == 0)
                    {
                        return 0;
                    }
                }
            }

            int n = 0;
            while (n < count && _inbox.Count > 0)
            {
                buffer[offset + n++] = _inbox.Dequeue();
            }

            return n;
        }
    }

    public void Write(byte[] buffer, int offset, int count) => Outbound!.Send(buffer, offset, count);

    internal void Deliver(byte[] unit)
    {
        lock (_gate)
        {
            foreach (var b in unit)
            {
                _inbox.Enqueue(b);
            }

            Monitor.PulseAll(_gate);
        }
    }
}
