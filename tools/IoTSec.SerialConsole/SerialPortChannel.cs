using System;
using System.IO;
using System.IO.Ports;
using IoTSec.Protocol.Console;

namespace IoTSec.SerialConsole;

/// <summary>
/// The console port of a simulated device (or the tool's end of the cable) over
/// System.IO.Ports: a USB serial adapter, or one end of a pseudo-terminal pair. 115200 baud,
/// 8N1, no flow control, as the console protocol specifies (docs/protocols/console.md).
/// </summary>
/// <remarks>
/// A read that times out returns 0, as <see cref="IByteChannel"/> asks; a port that fails
/// (unplugged adapter, closed pseudo-terminal) throws <see cref="IOException"/>, which ends the
/// session rather than looking like silence.
/// </remarks>
public sealed class SerialPortChannel : IByteChannel, IDisposable
{
    /// <summary>The console's line speed.</summary>
    public const int BaudRate = 115200;

    private readonly SerialPort _port;

    /// <summary>Opens the port.</summary>
    /// <param name="portName">The device path (<c>/dev/ttyUSB0</c>, a pseudo-terminal or its link) or <c>COMn</c>.</param>
    /// <exception cref="IOException">The port cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The port is in use or not accessible.</exception>
    public SerialPortChannel(string portName)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        _port = new SerialPort(portName, BaudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadBufferSize = 16 * 1024,
            WriteTimeout = 5000,
        };
        _port.Open();
        PortName = portName;
    }

    /// <summary>The port's name as opened.</summary>
    public string PortName { get; }

    /// <summary>
    /// Drops what the driver holds from before this session (the tool calls it on opening:
    /// bytes a previous session left are not answers to it).
    /// </summary>
    public void DiscardPendingInput() => _port.DiscardInBuffer();

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs);
        if (timeoutMs == 0 && _port.BytesToRead == 0)
        {
            return 0;
        }

        // SerialPort takes the timeout per call through this property; 0 would make Read
        // throw at once even while bytes are on their way, hence the check above.
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
