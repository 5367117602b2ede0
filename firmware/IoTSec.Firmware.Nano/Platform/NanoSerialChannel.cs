using System;
using System.IO.Ports;
using IoTSec.Firmware.Nano.Boards;
using IoTSec.Protocol.Console;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The provisioning console's UART (never COM1: that is nanoFramework's debugger port) as the
    /// console protocol's <see cref="IByteChannel"/>. On the ESP32 the UART's pins are mapped at
    /// run time from the board table; the STM32 target fixes them in nanoCLR.
    /// </summary>
    public sealed class NanoSerialChannel : IByteChannel, IDisposable
    {
        private readonly SerialPort _port;

        /// <summary>Maps the pins where the board needs it and opens the console port (8N1, no handshake).</summary>
        /// <param name="board">The board, for its console port, pins and bit rate.</param>
        public NanoSerialChannel(NanoBoard board)
        {
            if (board == null)
            {
                throw new ArgumentNullException("board");
            }

            if (board.ConsolePort == "COM1")
            {
                throw new ArgumentException("COM1 is the nanoFramework debugger's port; the console needs its own UART.", "board");
            }

            BoardServices.MapConsole(board);

            _port = new SerialPort(board.ConsolePort, board.ConsoleBaud, Parity.None, 8, StopBits.One);
            _port.Handshake = Handshake.None;
            _port.Open();
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int available = _port.BytesToRead;
            if (available == 0)
            {
                if (timeoutMs == 0)
                {
                    return 0;
                }

                // Wait for the first byte only: the console's framing copes with frames that
                // arrive in pieces, and asking for more would hold bytes back until the timeout.
                _port.ReadTimeout = timeoutMs;
                try
                {
                    return _port.Read(buffer, offset, 1);
                }
                catch (TimeoutException)
                {
                    return 0;
                }
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <summary>Closes the port.</summary>
        public void Dispose()
        {
            _port.Dispose();
        }
    }
}
