using System;
using System.IO;
using System.Threading;
using IoTSec.Firmware.Host.Platform;
using IoTSec.SerialConsole;

namespace IoTSec.Provision.Tests;

/// <summary>
/// A cable that goes bad mid-session, between two pseudo-terminal pairs: bytes pass both ways,
/// but every request frame (tool to device) after the first <see cref="HealthyRequests"/> has
/// one bit flipped in its header, so the device's CRC check rejects it and never executes it;
/// optionally a window of answer frames (device to tool) is damaged the same way, so the
/// device executes a command whose answer the tool never reads.
/// Frames are runs between 0x00 delimiters, as on the wire.
/// </summary>
internal sealed class BrokenCableRelay : IDisposable
{
    private readonly SerialPortChannel _deviceSide;
    private readonly SerialPortChannel _toolSide;
    private readonly Thread _toTool;
    private readonly Thread _toDevice;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _answersFrom;
    private readonly int _answersTo;
    private int _damaged;
    private int _damagedAnswers;

    public BrokenCableRelay(string deviceSidePort, string toolSidePort, int healthyRequests, int damagedAnswersFrom = int.MaxValue, int damagedAnswers = 0)
    {
        HealthyRequests = healthyRequests;
        _answersFrom = damagedAnswersFrom;
        _answersTo = damagedAnswersFrom + damagedAnswers;
        _deviceSide = new SerialPortChannel(deviceSidePort);
        _toolSide = new SerialPortChannel(toolSidePort);
        _toTool = new Thread(() => Pump(_deviceSide, _toolSide, damage: false)) { IsBackground = true, Name = "relay to tool" };
        _toDevice = new Thread(() => Pump(_toolSide, _deviceSide, damage: true)) { IsBackground = true, Name = "relay to device" };
        _toTool.Start();
        _toDevice.Start();
    }

    public int HealthyRequests { get; }

    /// <summary>Answer frames damaged so far.</summary>
    public int DamagedAnswers => Volatile.Read(ref _damagedAnswers);

    /// <summary>Request frames damaged so far.</summary>
    public int Damaged => Volatile.Read(ref _damaged);

    public Exception? Fault { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _toTool.Join(TimeSpan.FromSeconds(5));
        _toDevice.Join(TimeSpan.FromSeconds(5));
        _deviceSide.Dispose();
        _toolSide.Dispose();
        _stop.Dispose();
    }

    private void Pump(SerialPortChannel from, SerialPortChannel to, bool damage)
    {
        var buffer = new byte[4096];
        int frame = -1;
        int position = 0;
        bool inFrame = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int read = from.Read(buffer, 0, buffer.Length, 50);
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] == 0)
                    {
                        inFrame = false;
                        continue;
                    }

                    if (!inFrame)
                    {
                        inFrame = true;
                        frame++;
                        position = 0;
                    }

                    // The 5th stuffed byte: inside the header, never a delimiter.
                    bool hit = damage ? frame >= HealthyRequests : frame >= _answersFrom && frame < _answersTo;
                    if (position == 4 && hit)
                    {
                        byte flipped = (byte)(buffer[i] ^ 0x10);
                        buffer[i] = flipped == 0 ? (byte)0x20 : flipped;
                        Interlocked.Increment(ref damage ? ref _damaged : ref _damagedAnswers);
                    }

                    position++;
                }

                if (read > 0)
                {
                    to.Write(buffer, 0, read);
                }
            }
        }
        catch (IOException e)
        {
            Fault = e;
        }
    }
}
