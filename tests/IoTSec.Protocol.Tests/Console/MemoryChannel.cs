using System;
using System.Collections.Generic;
using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// A deterministic, single-threaded console port: reads return the queued chunks (never
/// waiting: an empty queue is an immediate timeout), writes are recorded.
/// </summary>
internal sealed class MemoryChannel : IByteChannel
{
    private readonly Queue<byte[]> _chunks = new();
    private readonly List<byte> _written = new();
    private int _headOffset;

    /// <summary>Largest number of bytes one Read returns (to split frames across reads).</summary>
    public int MaxReadLength { get; set; } = int.MaxValue;

    /// <summary>Number of Read calls made.</summary>
    public int ReadCalls { get; private set; }

    public byte[] Written => _written.ToArray();

    /// <summary>Bytes queued and not read yet.</summary>
    public int Pending
    {
        get
        {
            int total = -_headOffset;
            foreach (var chunk in _chunks)
            {
                total += chunk.Length;
            }

            return total;
        }
    }

    public void Enqueue(params byte[][] chunks)
    {
        foreach (var chunk in chunks)
        {
            if (chunk.Length > 0)
            {
                _chunks.Enqueue(chunk);
            }
        }
    }

    public void ClearWritten() => _written.Clear();

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        ReadCalls++;
        if (_chunks.Count == 0)
        {
            return 0;
        }

        var head = _chunks.Peek();
        int n = Math.Min(Math.Min(count, MaxReadLength), head.Length - _headOffset);
        Array.Copy(head, _headOffset, buffer, offset, n);
        _headOffset += n;
        if (_headOffset == head.Length)
        {
            _chunks.Dequeue();
            _headOffset = 0;
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _written.Add(buffer[offset + i]);
        }
    }
}
