namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// Where portable protocol code gets its SHA-256 and HMAC-SHA256 from.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why this seam exists: portable code must hash on a nanoFramework device whose mscorlib has
    /// no cryptography, so <see cref="PortableDigests"/> supplies managed implementations. But a
    /// managed SHA-256 in the nanoFramework interpreter is orders of magnitude slower than
    /// native code, and some firmware images ship a native
    /// <c>System.Security.Cryptography.HMACSHA256</c> (one-shot <c>HashData(key, data)</c>,
    /// mbedTLS underneath). A device layer can then implement this interface with the native
    /// calls and hand it to the protocol code; on the gateway an implementation over
    /// <c>System.Security.Cryptography</c> does the same. Nothing else changes.
    /// </para>
    /// <para>
    /// Why it is this small: the native API on the device is a one-shot HMAC over a whole
    /// array, so HMAC is offered one-shot here too; streaming digests (firmware images that do
    /// not fit in RAM) come from <see cref="CreateSha256"/>. Implementations must be safe to call
    /// from several threads; the objects they create need not be.
    /// </para>
    /// </remarks>
    public interface IDigestProvider
    {
        /// <summary>Creates a new, reset SHA-256 (FIPS 180-4) hash; the caller owns and disposes it.</summary>
        /// <returns>A hash with <see cref="IHashAlgorithm.HashSize"/> 32 and <see cref="IHashAlgorithm.BlockSize"/> 64.</returns>
        IHashAlgorithm CreateSha256();

        /// <summary>
        /// Computes HMAC-SHA256 (RFC 2104, RFC 4231) of <paramref name="count"/> bytes of
        /// <paramref name="data"/> under <paramref name="key"/>, writing 32 bytes to
        /// <paramref name="output"/> at <paramref name="outputOffset"/>.
        /// </summary>
        /// <param name="key">The secret key, any length (keys longer than 64 bytes are hashed first).</param>
        /// <param name="data">The array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Number of message bytes.</param>
        /// <param name="output">Destination array; it may overlap the message, which is fully read before the MAC is written.</param>
        /// <param name="outputOffset">Index where the 32-byte MAC starts.</param>
        void ComputeHmacSha256(byte[] key, byte[] data, int offset, int count, byte[] output, int outputOffset);
    }
}
