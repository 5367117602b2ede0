using System;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// HKDF with HMAC-SHA256 (RFC 5869): <see cref="Extract(byte[], byte[])"/> a pseudorandom key
    /// from input keying material, <see cref="Expand(byte[], int, byte[])"/> it into output keying
    /// material bound to a context string, or both at once with
    /// <see cref="DeriveKey(byte[], int, byte[], byte[])"/>.
    /// </summary>
    /// <remarks>
    /// Parameter order follows .NET's <c>System.Security.Cryptography.HKDF</c> so code and tests
    /// read the same on both sides. Every overload without an <see cref="IDigestProvider"/> uses
    /// <see cref="PortableDigests.Instance"/>; a device with a native HMAC passes its own.
    /// </remarks>
    public static class Hkdf
    {
        /// <summary>HashLen for SHA-256, in bytes: the size of a PRK and of each expansion block.</summary>
        public const int HashLength = 32;

        /// <summary>The most output one expansion can give: 255 * HashLen = 8160 bytes (RFC 5869 section 2.3).</summary>
        public const int MaxOutputLength = 255 * HashLength;

        /// <summary>HKDF-Extract (RFC 5869 section 2.2) with the portable HMAC.</summary>
        /// <param name="ikm">Input keying material (for example an ECDH shared secret).</param>
        /// <param name="salt">Optional non-secret salt; null or empty means HashLen zero bytes.</param>
        /// <returns>A new 32-byte pseudorandom key.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ikm"/> is null.</exception>
        public static byte[] Extract(byte[] ikm, byte[] salt)
        {
            return Extract(ikm, salt, PortableDigests.Instance);
        }

        /// <summary>HKDF-Extract (RFC 5869 section 2.2): PRK = HMAC-Hash(salt, IKM).</summary>
        /// <param name="ikm">Input keying material.</param>
        /// <param name="salt">Optional non-secret salt; null or empty means HashLen zero bytes.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>A new 32-byte pseudorandom key.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ikm"/> or <paramref name="provider"/> is null.</exception>
        public static byte[] Extract(byte[] ikm, byte[] salt, IDigestProvider provider)
        {
            if (ikm == null)
            {
                throw new ArgumentNullException("ikm");
            }

            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            // Section 2.2: "if not provided, [salt] is set to a string of HashLen zeros".
            byte[] key = salt == null || salt.Length == 0 ? new byte[HashLength] : salt;
            var prk = new byte[HashLength];
            provider.ComputeHmacSha256(key, ikm, 0, ikm.Length, prk, 0);
            return prk;
        }

        /// <summary>HKDF-Expand (RFC 5869 section 2.3) with the portable HMAC.</summary>
        /// <param name="prk">A pseudorandom key of at least 32 bytes, usually from <see cref="Extract(byte[], byte[])"/>.</param>
        /// <param name="outputLength">Bytes wanted, 1 to <see cref="MaxOutputLength"/>.</param>
        /// <param name="info">Optional context that binds the output to its use; null means empty.</param>
        /// <returns>A new array of <paramref name="outputLength"/> bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="prk"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="prk"/> is shorter than 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is not in 1..8160.</exception>
        public static byte[] Expand(byte[] prk, int outputLength, byte[] info)
        {
            return Expand(prk, outputLength, info, PortableDigests.Instance);
        }

        /// <summary>
        /// HKDF-Expand (RFC 5869 section 2.3): T(0) = empty, T(i) = HMAC-Hash(PRK, T(i-1) | info | i),
        /// output = the first <paramref name="outputLength"/> bytes of T(1) | T(2) | ...
        /// </summary>
        /// <param name="prk">A pseudorandom key of at least 32 bytes.</param>
        /// <param name="outputLength">Bytes wanted, 1 to <see cref="MaxOutputLength"/>.</param>
        /// <param name="info">Optional context; null means empty.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>A new array of <paramref name="outputLength"/> bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="prk"/> or <paramref name="provider"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="prk"/> is shorter than 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is not in 1..8160.</exception>
        public static byte[] Expand(byte[] prk, int outputLength, byte[] info, IDigestProvider provider)
        {
            if (prk == null)
            {
                throw new ArgumentNullException("prk");
            }

            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            // Section 2.3 takes "a pseudorandom key of at least HashLen octets"; a shorter one
            // is almost certainly a caller passing raw IKM here instead of through Extract.
            if (prk.Length < HashLength)
            {
                throw new ArgumentException("HKDF-Expand needs a pseudorandom key of at least 32 bytes (RFC 5869 section 2.3); got " + prk.Length.ToString() + ".", "prk");
            }

            CheckOutputLength(outputLength);
            int infoLength = info == null ? 0 : info.Length;

            // message = T(i-1) | info | i, with T(i-1) in the first HashLen bytes; T(0) is
            // empty, so the first HMAC starts after that slot.
            var message = new byte[HashLength + infoLength + 1];
            if (info != null)
            {
                Array.Copy(info, 0, message, HashLength, infoLength);
            }

            var block = new byte[HashLength];
            var okm = new byte[outputLength];
            int start = HashLength;
            int done = 0;
            for (int i = 1; done < outputLength; i++)
            {
                message[message.Length - 1] = (byte)i;
                provider.ComputeHmacSha256(prk, message, start, message.Length - start, block, 0);
                int take = outputLength - done;
                if (take > HashLength)
                {
                    take = HashLength;
                }

                Array.Copy(block, 0, okm, done, take);
                Array.Copy(block, 0, message, 0, HashLength);
                done += take;
                start = 0;
            }

            // T(i) is output keying material: do not leave it in dead arrays.
            Array.Clear(block, 0, HashLength);
            Array.Clear(message, 0, HashLength);
            return okm;
        }

        /// <summary>HKDF (RFC 5869 section 2): Extract then Expand, with the portable HMAC.</summary>
        /// <param name="ikm">Input keying material.</param>
        /// <param name="outputLength">Bytes wanted, 1 to <see cref="MaxOutputLength"/>.</param>
        /// <param name="salt">Optional salt; null or empty means HashLen zero bytes.</param>
        /// <param name="info">Optional context; null means empty.</param>
        /// <returns>A new array of <paramref name="outputLength"/> bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ikm"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is not in 1..8160.</exception>
        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[] salt, byte[] info)
        {
            return DeriveKey(ikm, outputLength, salt, info, PortableDigests.Instance);
        }

        /// <summary>HKDF (RFC 5869 section 2): Extract then Expand.</summary>
        /// <param name="ikm">Input keying material.</param>
        /// <param name="outputLength">Bytes wanted, 1 to <see cref="MaxOutputLength"/>.</param>
        /// <param name="salt">Optional salt; null or empty means HashLen zero bytes.</param>
        /// <param name="info">Optional context; null means empty.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>A new array of <paramref name="outputLength"/> bytes.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ikm"/> or <paramref name="provider"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is not in 1..8160.</exception>
        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[] salt, byte[] info, IDigestProvider provider)
        {
            // Checked before Extract so a bad length costs no HMAC.
            CheckOutputLength(outputLength);
            byte[] prk = Extract(ikm, salt, provider);
            try
            {
                return Expand(prk, outputLength, info, provider);
            }
            finally
            {
                Array.Clear(prk, 0, prk.Length);
            }
        }

        private static void CheckOutputLength(int outputLength)
        {
            if (outputLength <= 0)
            {
                throw new ArgumentOutOfRangeException("outputLength", "HKDF output length must be positive; got " + outputLength.ToString() + ".");
            }

            // Section 2.3: L <= 255 * HashLen, because the block counter is one octet.
            if (outputLength > MaxOutputLength)
            {
                throw new ArgumentOutOfRangeException("outputLength", "HKDF-SHA256 can produce at most 8160 bytes (255 * HashLen, RFC 5869 section 2.3); " + outputLength.ToString() + " were requested.");
            }
        }
    }
}
