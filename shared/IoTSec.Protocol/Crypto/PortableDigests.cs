namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// The default <see cref="IDigestProvider"/>: the managed <see cref="Sha256"/> and
    /// <see cref="HmacSha256"/>, available on every runtime this library is built for.
    /// </summary>
    public sealed class PortableDigests : IDigestProvider
    {
        /// <summary>The shared instance; it holds no state, so one is enough.</summary>
        public static readonly PortableDigests Instance = new PortableDigests();

        private PortableDigests()
        {
        }

        /// <inheritdoc/>
        public IHashAlgorithm CreateSha256()
        {
            return new Sha256();
        }

        /// <inheritdoc/>
        public void ComputeHmacSha256(byte[] key, byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            HmacSha256.Compute(key, data, offset, count, output, outputOffset);
        }
    }
}
