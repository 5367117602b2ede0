namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// An established TLS connection to the gateway (SslStream over a socket, on the device and
    /// on the desktop): a blocking byte pipe. The core's HTTP/1.1 client runs on it.
    /// </summary>
    public interface ISecureChannel
    {
        /// <summary>Reads up to <paramref name="count"/> bytes, blocking until at least one arrives.</summary>
        /// <param name="buffer">Receives the bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Room in the buffer (at least 1).</param>
        /// <returns>Bytes read; 0 when the peer closed the connection.</returns>
        /// <exception cref="NetworkException">The connection failed or the read timed out.</exception>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes all the bytes.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <exception cref="NetworkException">The connection failed.</exception>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Closes the connection (TLS close_notify where possible); safe to call twice.</summary>
        void Close();
    }
}
