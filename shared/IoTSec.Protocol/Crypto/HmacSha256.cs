using System;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104 with SHA-256, test vectors in RFC 4231) over an
    /// <see cref="IHashAlgorithm"/>: streaming <see cref="Update(byte[], int, int)"/> and one-shot
    /// <see cref="Compute(byte[], byte[])"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The key is processed once, in the constructor; each MAC then costs the message blocks
    /// plus the outer hash. With the portable <see cref="Sha256"/> the instance keeps the hash
    /// state after the (K XOR ipad) and (K XOR opad) blocks (RFC 2104 section 4 suggests this)
    /// instead of the padded keys, which saves two of the seven compressions a 200-byte
    /// heartbeat needs. With another <see cref="IHashAlgorithm"/> it keeps the two padded keys.
    /// Either way those values are equivalent to the key: <see cref="Dispose"/> (or
    /// <see cref="Clear"/>) overwrites them.
    /// </para>
    /// <para>
    /// Lifecycle as for <see cref="Sha256"/>: after <see cref="Final(byte[], int)"/>, call
    /// <see cref="Reset"/> (same key) before the next message; <see cref="Update(byte[], int, int)"/>
    /// before that throws <see cref="InvalidOperationException"/>. Not thread-safe.
    /// </para>
    /// <para>
    /// To check a received MAC, compare with <see cref="ConstantTime.AreEqual(byte[], byte[])"/>,
    /// never with a loop that stops at the first difference.
    /// </para>
    /// </remarks>
    public sealed class HmacSha256 : IDisposable
    {
        /// <summary>Length of an HMAC-SHA256 value in bytes.</summary>
        public const int MacLength = 32;

        private const int BlockLength = 64;
        private const byte InnerPadByte = 0x36;
        private const byte OuterPadByte = 0x5c;

        private readonly IHashAlgorithm _hash;

        // True when _hash is the portable Sha256, whose state can be saved and restored.
        private readonly bool _useMidstates;

        // Midstate path: SHA-256 chaining values after the (K ^ ipad) and (K ^ opad) blocks.
        private readonly uint[] _innerState;
        private readonly uint[] _outerState;

        // Generic path: the padded keys themselves, absorbed again for every message.
        private readonly byte[] _innerPad;
        private readonly byte[] _outerPad;

        private readonly byte[] _innerDigest = new byte[MacLength];
        private bool _finalized;
        private bool _disposed;

        /// <summary>Creates an HMAC-SHA256 over the portable <see cref="Sha256"/>.</summary>
        /// <param name="key">The secret key, any length; it is not retained (a copy of its pads or midstates is).</param>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
        public HmacSha256(byte[] key)
            : this(key, new Sha256())
        {
        }

        /// <summary>
        /// Creates an HMAC-SHA256 over a given SHA-256 implementation, for example a native one
        /// from <see cref="IDigestProvider.CreateSha256"/>. The instance takes ownership of
        /// <paramref name="sha256"/> and disposes it.
        /// </summary>
        /// <param name="key">The secret key, any length.</param>
        /// <param name="sha256">A SHA-256 hash (32-byte digest, 64-byte block), not used elsewhere.</param>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="sha256"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="sha256"/> does not have SHA-256's sizes.</exception>
        public HmacSha256(byte[] key, IHashAlgorithm sha256)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            if (sha256 == null)
            {
                throw new ArgumentNullException("sha256");
            }

            if (sha256.HashSize != MacLength || sha256.BlockSize != BlockLength)
            {
                throw new ArgumentException("HMAC-SHA256 needs a hash with a 32-byte digest and a 64-byte block.", "sha256");
            }

            _hash = sha256;
            _useMidstates = sha256 is Sha256;

            // RFC 2104 section 2: a key longer than the block is replaced by its hash; then it
            // is padded with zeros to the block length.
            byte[] block = new byte[BlockLength];
            _hash.Reset();
            if (key.Length > BlockLength)
            {
                _hash.Update(key, 0, key.Length);
                _hash.Final(block, 0);
                _hash.Reset();
            }
            else
            {
                Array.Copy(key, block, key.Length);
            }

            for (int i = 0; i < BlockLength; i++)
            {
                block[i] ^= InnerPadByte;
            }

            if (_useMidstates)
            {
                var portable = (Sha256)_hash;
                _innerState = new uint[8];
                _outerState = new uint[8];
                _innerPad = new byte[0];
                _outerPad = new byte[0];

                portable.Update(block, 0, BlockLength);
                portable.ExportState(_innerState);
                for (int i = 0; i < BlockLength; i++)
                {
                    block[i] ^= InnerPadByte ^ OuterPadByte;
                }

                portable.Reset();
                portable.Update(block, 0, BlockLength);
                portable.ExportState(_outerState);

                // The schedule still holds words of (K ^ opad).
                portable.ClearWorkingBuffers();
            }
            else
            {
                _innerState = new uint[0];
                _outerState = new uint[0];
                _innerPad = new byte[BlockLength];
                _outerPad = new byte[BlockLength];
                Array.Copy(block, _innerPad, BlockLength);
                for (int i = 0; i < BlockLength; i++)
                {
                    _outerPad[i] = (byte)(block[i] ^ InnerPadByte ^ OuterPadByte);
                }
            }

            Array.Clear(block, 0, BlockLength);
            StartInner();
        }

        /// <summary>Computes HMAC-SHA256 of a whole array in one call.</summary>
        /// <param name="key">The secret key, any length.</param>
        /// <param name="data">The message.</param>
        /// <returns>A new 32-byte array holding the MAC.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="data"/> is null.</exception>
        public static byte[] Compute(byte[] key, byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            var mac = new byte[MacLength];
            Compute(key, data, 0, data.Length, mac, 0);
            return mac;
        }

        /// <summary>Computes HMAC-SHA256 of part of an array into part of another, in one call.</summary>
        /// <param name="key">The secret key, any length.</param>
        /// <param name="data">The array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Number of message bytes.</param>
        /// <param name="output">Destination array (may overlap the message).</param>
        /// <param name="outputOffset">Index where the 32-byte MAC starts.</param>
        /// <exception cref="ArgumentNullException">An array is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range lies outside its array.</exception>
        public static void Compute(byte[] key, byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            CryptoArguments.CheckRange(data, offset, count, "data");
            CryptoArguments.CheckRange(output, outputOffset, MacLength, "output");
            using (var hmac = new HmacSha256(key))
            {
                hmac.Update(data, offset, count);
                hmac.Final(output, outputOffset);
            }
        }

        /// <summary>Starts a new message under the same key.</summary>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public void Reset()
        {
            ThrowIfDisposed();
            StartInner();
        }

        /// <summary>Appends a whole array to the message.</summary>
        /// <param name="data">The bytes to append.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Final(byte[], int)"/> was called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public void Update(byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            Update(data, 0, data.Length);
        }

        /// <summary>Appends <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/> to the message.</summary>
        /// <param name="data">The array holding the bytes.</param>
        /// <param name="offset">Index of the first byte to append.</param>
        /// <param name="count">Number of bytes to append; zero is allowed.</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Final(byte[], int)"/> was called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public void Update(byte[] data, int offset, int count)
        {
            CryptoArguments.CheckRange(data, offset, count, "data");
            ThrowIfNotWritable();
            _hash.Update(data, offset, count);
        }

        /// <summary>Finishes the message and returns its MAC in a new array.</summary>
        /// <returns>A new 32-byte array holding the MAC.</returns>
        /// <exception cref="InvalidOperationException"><see cref="Final(byte[], int)"/> was already called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public byte[] Final()
        {
            var mac = new byte[MacLength];
            Final(mac, 0);
            return mac;
        }

        /// <summary>
        /// Finishes the message and writes its 32-byte MAC to <paramref name="output"/> at
        /// <paramref name="outputOffset"/>. A protocol that sends truncated MACs (RFC 2104
        /// section 5, RFC 4231 test case 5) takes the leftmost bytes.
        /// </summary>
        /// <param name="output">Destination array.</param>
        /// <param name="outputOffset">Index where the MAC starts.</param>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The MAC does not fit at <paramref name="outputOffset"/>.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Final(byte[], int)"/> was already called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public void Final(byte[] output, int outputOffset)
        {
            CryptoArguments.CheckRange(output, outputOffset, MacLength, "output");
            ThrowIfNotWritable();

            // RFC 2104 section 2: H(K ^ opad, H(K ^ ipad, text)).
            _hash.Final(_innerDigest, 0);
            if (_useMidstates)
            {
                ((Sha256)_hash).ImportState(_outerState, BlockLength);
            }
            else
            {
                _hash.Reset();
                _hash.Update(_outerPad, 0, BlockLength);
            }

            _hash.Update(_innerDigest, 0, MacLength);
            _hash.Final(output, outputOffset);
            _finalized = true;
        }

        /// <summary>Same as <see cref="Dispose"/>: wipes the key material and makes the instance unusable.</summary>
        public void Clear()
        {
            Dispose();
        }

        /// <summary>
        /// Overwrites the key-derived state (padded keys or midstates) and the last inner
        /// digest, disposes the underlying hash, and makes the instance unusable.
        /// </summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            Array.Clear(_innerState, 0, _innerState.Length);
            Array.Clear(_outerState, 0, _outerState.Length);
            Array.Clear(_innerPad, 0, _innerPad.Length);
            Array.Clear(_outerPad, 0, _outerPad.Length);
            Array.Clear(_innerDigest, 0, MacLength);
            _hash.Dispose();
            _disposed = true;
        }

        private void StartInner()
        {
            if (_useMidstates)
            {
                ((Sha256)_hash).ImportState(_innerState, BlockLength);
            }
            else
            {
                _hash.Reset();
                _hash.Update(_innerPad, 0, BlockLength);
            }

            _finalized = false;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("HmacSha256");
            }
        }

        private void ThrowIfNotWritable()
        {
            ThrowIfDisposed();
            if (_finalized)
            {
                throw new InvalidOperationException("HMAC-SHA256: Final was already called; call Reset before authenticating another message.");
            }
        }
    }
}
