using System;
using System.IO;
using System.IO.Ports;
using IoTSec.Protocol.Console;

namespace IoTSec.Provision.Serial;

/// <summary>
/// The tool's end of the console cable over System.IO.Ports: 115200 baud, 8N1, no flow
/// control, as docs/protocols/console.md specifies. A read that times out returns 0
/// (<see cref="IByteChannel"/>); a port that fails throws <see cref="IOException"/>.
/// </summary>
public sealed class SerialConsoleChannel : IByteChannel, IDisposable
{
    /// <summary>The console's line speed.</summary>
    public const int BaudRate = 115200;

    private readonly SerialPort _port;

    /// <summary>Opens the port.</summary>
    /// <param name="portName">A device path (<c>/dev/ttyUSB0</c>, a pseudo-terminal or a link to one) or <c>COMn</c>.</param>
    public SerialConsoleChannel(string portName)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        _port = new SerialPort(portName, BaudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadBufferSize = 16 * 1024,
            WriteTimeout = 5000,
        };
        _port.Open();

        // Bytes a previous session left in the driver's buffer are not answers to us.
        _port.DiscardInBuffer();
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs);
        if (timeoutMs == 0 && _port.BytesToRead == 0)
        {
            return 0;
        }

        // 0 would make SerialPort.Read throw at once even while bytes are on their way.
        _port.ReadTimeout = Math.Max(1, timeoutMs);
        try
        {
            return _port.Read(buffer, offset, count);
        }
        catch (TimeoutException)
        {
            return 0;
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _port.Write(buffer, offset, count);
    }

    /// <summary>Closes the port.</summary>
    public void Dispose() => _port.Dispose();
}
