using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>An established SslStream as the core's <see cref="ISecureChannel"/>.</summary>
    internal sealed class NanoSecureChannel : ISecureChannel
    {
        private SslStream _ssl;

        internal NanoSecureChannel(SslStream ssl)
        {
            _ssl = ssl;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            SslStream ssl = Open();
            try
            {
                return ssl.Read(buffer, offset, count);
            }
            catch (SocketException e)
            {
                throw new NetworkException("TLS read failed or timed out (socket error " + e.ErrorCode + ").", e);
            }
            catch (IOException e)
            {
                throw new NetworkException("TLS read failed.", e);
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            SslStream ssl = Open();
            try
            {
                ssl.Write(buffer, offset, count);
            }
            catch (SocketException e)
            {
                throw new NetworkException("TLS write failed (socket error " + e.ErrorCode + ").", e);
            }
            catch (IOException e)
            {
                throw new NetworkException("TLS write failed.", e);
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            SslStream ssl = _ssl;
            _ssl = null;
            if (ssl != null)
            {
                // Disposing the SslStream closes the TLS context and its socket (SslStream.Dispose).
                ssl.Dispose();
            }
        }

        private SslStream Open()
        {
            SslStream ssl = _ssl;
            if (ssl == null)
            {
                throw new NetworkException("The TLS connection is closed.");
            }

            return ssl;
        }
    }
}
