using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Http
{
    /// <summary>
    /// A small read buffer over an <see cref="ISecureChannel"/>: lines end at CRLF and are
    /// bounded, bodies are copied in blocks. One TLS record read at a time, so an ESP32's
    /// mbedTLS never holds more than this buffer plus its own record buffer.
    /// </summary>
    internal sealed class ChannelByteReader
    {
        private const int BufferLength = 512;

        private readonly ISecureChannel _channel;
        private readonly byte[] _buffer = new byte[BufferLength];
        private int _start;
        private int _end;
        private bool _closed;

        public ChannelByteReader(ISecureChannel channel)
        {
            _channel = channel;
        }

        /// <summary>
        /// Reads one line without its CRLF. A bare CR or LF, a control character other than
        /// tab, or a byte above 0x7E is refused as <paramref name="invalid"/>; a longer line than
        /// <paramref name="maxLength"/> as <see cref="HttpRejection.LineTooLong"/>.
        /// </summary>
        public string ReadLine(int maxLength, HttpRejection invalid, string what)
        {
            char[] line = new char[16];
            int length = 0;
            while (true)
            {
                int b = ReadByte();
                if (b < 0)
                {
                    throw new HttpResponseRejectedException(HttpRejection.ConnectionClosed, "the connection ended inside the " + what);
                }

                if (b == '\r')
                {
                    int next = ReadByte();
                    if (next < 0)
                    {
                        throw new HttpResponseRejectedException(HttpRejection.ConnectionClosed, "the connection ended inside the " + what);
                    }

                    if (next != '\n')
                    {
                        throw new HttpResponseRejectedException(invalid, "a bare CR in the " + what);
                    }

                    return new string(line, 0, length);
                }

                if (b == '\n')
                {
                    // RFC 9112 §2.2 lets a recipient accept a bare LF; the device does not,
                    // so that it and every proxy in between agree on where lines end.
                    throw new HttpResponseRejectedException(invalid, "a bare LF in the " + what);
                }

                if ((b < 0x20 && b != '\t') || b > 0x7E)
                {
                    throw new HttpResponseRejectedException(invalid, "byte " + b.ToString() + " (decimal) in the " + what);
                }

                if (length == maxLength)
                {
                    throw new HttpResponseRejectedException(HttpRejection.LineTooLong, "the " + what + " is longer than " + maxLength.ToString() + " bytes");
                }

                if (length == line.Length)
                {
                    int grown = line.Length * 2;
                    if (grown > maxLength)
                    {
                        grown = maxLength;
                    }

                    char[] larger = new char[grown];
                    System.Array.Copy(line, larger, length);
                    line = larger;
                }

                line[length++] = (char)b;
            }
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes into <paramref name="target"/>.</summary>
        public void ReadExactly(byte[] target, int offset, int count, string what)
        {
            while (count > 0)
            {
                if (_start == _end && !Fill())
                {
                    throw new HttpResponseRejectedException(HttpRejection.ConnectionClosed, "the connection ended " + count.ToString() + " bytes before the end of the " + what);
                }

                int take = _end - _start;
                if (take > count)
                {
                    take = count;
                }

                System.Array.Copy(_buffer, _start, target, offset, take);
                _start += take;
                offset += take;
                count -= take;
            }
        }

        private int ReadByte()
        {
            if (_start == _end && !Fill())
            {
                return -1;
            }

            return _buffer[_start++];
        }

        private bool Fill()
        {
            if (_closed)
            {
                return false;
            }

            int read = _channel.Read(_buffer, 0, BufferLength);
            if (read <= 0)
            {
                _closed = true;
                return false;
            }

            _start = 0;
            _end = read;
            return true;
        }
    }
}
