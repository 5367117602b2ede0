using System;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// A streaming message digest: <see cref="Update"/> any number of times, then
    /// <see cref="Final"/>. Implemented in portable code by <see cref="Sha256"/>; a device layer
    /// with a native digest can implement it too (see <see cref="IDigestProvider"/>).
    /// </summary>
    /// <remarks>
    /// Kept to what HMAC and HKDF need, over plain arrays with offset and count, because the
    /// nanoFramework mscorlib has no Span, Stream or generic buffers. Implementations are not
    /// thread-safe. After <see cref="Final"/> an implementation must refuse <see cref="Update"/>
    /// and <see cref="Final"/> with <see cref="InvalidOperationException"/> until
    /// <see cref="Reset"/>; <see cref="IDisposable.Dispose"/> wipes internal state.
    /// </remarks>
    public interface IHashAlgorithm : IDisposable
    {
        /// <summary>Length of the digest in bytes (32 for SHA-256). Note: bytes, not bits.</summary>
        int HashSize { get; }

        /// <summary>Length of the compression block in bytes (64 for SHA-256); HMAC pads keys to it.</summary>
        int BlockSize { get; }

        /// <summary>Starts a new message, discarding any input absorbed so far.</summary>
        void Reset();

        /// <summary>Appends <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/> to the message.</summary>
        /// <param name="data">The array holding the bytes.</param>
        /// <param name="offset">Index of the first byte to append.</param>
        /// <param name="count">Number of bytes to append; zero is allowed.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Final"/> was called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        void Update(byte[] data, int offset, int count);

        /// <summary>
        /// Finishes the message and writes its <see cref="HashSize"/>-byte digest to
        /// <paramref name="output"/> at <paramref name="outputOffset"/>.
        /// </summary>
        /// <param name="output">Destination array.</param>
        /// <param name="outputOffset">Index where the digest starts.</param>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The digest does not fit at <paramref name="outputOffset"/>.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Final"/> was already called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        void Final(byte[] output, int outputOffset);
    }
}
