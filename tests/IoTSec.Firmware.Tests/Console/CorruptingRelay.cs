using System;
using System.IO;
using System.Threading;
using IoTSec.Firmware.Host.Platform;
using IoTSec.SerialConsole;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// A noisy cable between two pseudo-terminal pairs: it copies bytes both ways and flips one
/// bit in every other frame of the first <see cref="FramesToDamage"/> frames of each
/// direction (frames as on the wire: runs between 0x00 delimiters). Requests and answers are
/// both hit, so the tool's retransmission on a timeout and on a corrupted answer, and the
/// device's replay cache, are all exercised.
/// </summary>
internal sealed class CorruptingRelay : IDisposable
{
    private readonly SerialPortChannel _deviceSide;
    private readonly SerialPortChannel _toolSide;
    private readonly Thread _toTool;
    private readonly Thread _toDevice;
    private readonly CancellationTokenSource _stop = new();
    private int _damagedToTool;
    private int _damagedToDevice;

    public CorruptingRelay(string deviceSidePort, string toolSidePort, int framesToDamage)
    {
        FramesToDamage = framesToDamage;
        _deviceSide = new SerialPortChannel(deviceSidePort);
        _toolSide = new SerialPortChannel(toolSidePort);
        _toTool = new Thread(() => Pump(_deviceSide, _toolSide, toTool: true)) { IsBackground = true, Name = "relay to tool" };
        _toDevice = new Thread(() => Pump(_toolSide, _deviceSide, toTool: false)) { IsBackground = true, Name = "relay to device" };
        _toTool.Start();
        _toDevice.Start();
    }

    public int FramesToDamage { get; }

    /// <summary>Answers damaged so far.</summary>
    public int AnswersDamaged => Volatile.Read(ref _damagedToTool);

    /// <summary>Requests damaged so far.</summary>
    public int RequestsDamaged => Volatile.Read(ref _damagedToDevice);

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

    private void Pump(SerialPortChannel from, SerialPortChannel to, bool toTool)
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
                    if (position == 4 && frame < FramesToDamage && frame % 2 == 0)
                    {
                        byte flipped = (byte)(buffer[i] ^ 0x10);
                        buffer[i] = flipped == 0 ? (byte)0x20 : flipped;
                        Interlocked.Increment(ref toTool ? ref _damagedToTool : ref _damagedToDevice);
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
