namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// The console port: a raw, unreliable byte pipe to the peer (a UART at 115200 baud on
    /// the device; System.IO.Ports or a pseudo-terminal on the desktop). Bytes may be lost,
    /// corrupted or cut short; the console transport above copes with that.
    /// </summary>
    public interface IByteChannel
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes, waiting at most
        /// <paramref name="timeoutMs"/> milliseconds for the first one.
        /// </summary>
        /// <param name="buffer">Receives the bytes.</param>
        /// <param name="offset">Where to put the first byte.</param>
        /// <param name="count">Room in <paramref name="buffer"/> (at least 1).</param>
        /// <param name="timeoutMs">Longest wait; 0 returns only what is already buffered.</param>
        /// <returns>The number of bytes read (1 to <paramref name="count"/>), or 0 on timeout.</returns>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Writes bytes to the peer (blocking until they are queued for transmission).</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        void Write(byte[] buffer, int offset, int count);
    }
}
