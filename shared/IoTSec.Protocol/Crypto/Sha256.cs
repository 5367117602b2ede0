using System;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4) in portable managed code: streaming <see cref="Update(byte[], int, int)"/>
    /// over any split of the message, and one-shot <see cref="Hash(byte[])"/> helpers.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The nanoFramework mscorlib has no SHA-256, and the device must hash firmware images and
    /// heartbeats, so this is written once for both runtimes. It allocates nothing per block:
    /// the message schedule (64 words) and the partial-block buffer (64 bytes) live in the
    /// instance, so hashing a firmware slot of any size costs the same memory as hashing
    /// 64 bytes, and a reused instance (<see cref="Reset"/>) allocates nothing at all.
    /// </para>
    /// <para>
    /// Speed: the 64 rounds are unrolled with the round constants inline and the eight working
    /// variables renamed instead of shifted (the usual scalar technique), and the schedule array
    /// is length-checked once so the JIT drops per-element bounds checks. On desktop .NET this
    /// streams at about 15 % of the SHA-NI-backed <c>System.Security.Cryptography.SHA256</c>
    /// (tests/IoTSec.Benchmarks has the figures); the gateway should use that one, and a device
    /// layer that has a native digest can supply it through <see cref="IDigestProvider"/>.
    /// </para>
    /// <para>
    /// Lifecycle: after <see cref="Final(byte[], int)"/> the instance refuses further input with
    /// <see cref="InvalidOperationException"/> until <see cref="Reset"/> is called. Appending to a
    /// finished hash is always a caller bug (the padding is already in the state), so it fails
    /// loudly instead of silently starting a new message. Not thread-safe.
    /// </para>
    /// </remarks>
    public sealed class Sha256 : IHashAlgorithm
    {
        /// <summary>Length of a SHA-256 digest in bytes.</summary>
        public const int DigestLength = 32;

        /// <summary>Length of a SHA-256 message block in bytes.</summary>
        public const int BlockLength = 64;

        private const int StateWords = 8;

        // Chaining value H(i) (FIPS 180-4 section 6.2.2, step 4).
        private readonly uint[] _state = new uint[StateWords];

        // Message schedule W(0..63), kept in the instance so no block allocates.
        private readonly uint[] _schedule = new uint[64];

        // Bytes of an incomplete block waiting for more input.
        private readonly byte[] _buffer = new byte[BlockLength];

        private int _bufferLength;
        private ulong _byteCount;
        private bool _finalized;
        private bool _disposed;

        /// <summary>Creates a hash ready to take the first bytes of a message.</summary>
        public Sha256()
        {
            Reset();
        }

        /// <inheritdoc/>
        public int HashSize
        {
            get { return DigestLength; }
        }

        /// <inheritdoc/>
        public int BlockSize
        {
            get { return BlockLength; }
        }

        /// <summary>Computes the SHA-256 digest of a whole array.</summary>
        /// <param name="data">The message.</param>
        /// <returns>A new 32-byte array holding the digest.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        public static byte[] Hash(byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            return Hash(data, 0, data.Length);
        }

        /// <summary>Computes the SHA-256 digest of <paramref name="count"/> bytes of an array.</summary>
        /// <param name="data">The array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Number of message bytes.</param>
        /// <returns>A new 32-byte array holding the digest.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        public static byte[] Hash(byte[] data, int offset, int count)
        {
            var sha = new Sha256();
            sha.Update(data, offset, count);
            return sha.Final();
        }

        /// <summary>
        /// Returns the instance to the initial hash value (FIPS 180-4 section 5.3.3) so it can hash
        /// a new message. Valid at any time, including after <see cref="Final(byte[], int)"/>.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public void Reset()
        {
            ThrowIfDisposed();
            uint[] s = _state;
            s[0] = 0x6a09e667U;
            s[1] = 0xbb67ae85U;
            s[2] = 0x3c6ef372U;
            s[3] = 0xa54ff53aU;
            s[4] = 0x510e527fU;
            s[5] = 0x9b05688cU;
            s[6] = 0x1f83d9abU;
            s[7] = 0x5be0cd19U;
            _bufferLength = 0;
            _byteCount = 0;
            _finalized = false;
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

        /// <inheritdoc/>
        public void Update(byte[] data, int offset, int count)
        {
            CryptoArguments.CheckRange(data, offset, count, "data");
            ThrowIfNotWritable();
            if (count == 0)
            {
                return;
            }

            unchecked
            {
                _byteCount += (ulong)count;
            }

            if (_bufferLength != 0)
            {
                int take = BlockLength - _bufferLength;
                if (take > count)
                {
                    take = count;
                }

                Array.Copy(data, offset, _buffer, _bufferLength, take);
                _bufferLength += take;
                offset += take;
                count -= take;
                if (_bufferLength < BlockLength)
                {
                    return;
                }

                Compress(_buffer, 0);
                _bufferLength = 0;
            }

            // Whole blocks are compressed straight from the caller's array: no copy.
            while (count >= BlockLength)
            {
                Compress(data, offset);
                offset += BlockLength;
                count -= BlockLength;
            }

            if (count > 0)
            {
                Array.Copy(data, offset, _buffer, 0, count);
                _bufferLength = count;
            }
        }

        /// <summary>Pads the message, and returns its digest in a new array.</summary>
        /// <returns>A new 32-byte array holding the digest.</returns>
        /// <exception cref="InvalidOperationException"><see cref="Final(byte[], int)"/> was already called without a <see cref="Reset"/> since.</exception>
        /// <exception cref="ObjectDisposedException">The instance was disposed.</exception>
        public byte[] Final()
        {
            var digest = new byte[DigestLength];
            Final(digest, 0);
            return digest;
        }

        /// <inheritdoc/>
        public void Final(byte[] output, int outputOffset)
        {
            CryptoArguments.CheckRange(output, outputOffset, DigestLength, "output");
            ThrowIfNotWritable();

            // Padding (FIPS 180-4 section 5.1.1): a 1 bit, zeros up to 56 mod 64, then the
            // message length in bits as a 64-bit big-endian integer.
            ulong bitLength;
            unchecked
            {
                bitLength = _byteCount << 3;
            }

            byte[] buffer = _buffer;
            int n = _bufferLength;
            buffer[n++] = 0x80;
            if (n > BlockLength - 8)
            {
                Array.Clear(buffer, n, BlockLength - n);
                Compress(buffer, 0);
                n = 0;
            }

            Array.Clear(buffer, n, BlockLength - 8 - n);
            buffer[56] = (byte)(bitLength >> 56);
            buffer[57] = (byte)(bitLength >> 48);
            buffer[58] = (byte)(bitLength >> 40);
            buffer[59] = (byte)(bitLength >> 32);
            buffer[60] = (byte)(bitLength >> 24);
            buffer[61] = (byte)(bitLength >> 16);
            buffer[62] = (byte)(bitLength >> 8);
            buffer[63] = (byte)bitLength;
            Compress(buffer, 0);

            uint[] s = _state;
            for (int i = 0; i < StateWords; i++)
            {
                uint v = s[i];
                int o = outputOffset + (i * 4);
                output[o] = (byte)(v >> 24);
                output[o + 1] = (byte)(v >> 16);
                output[o + 2] = (byte)(v >> 8);
                output[o + 3] = (byte)v;
            }

            _finalized = true;
            ClearWorkingBuffers();
        }

        /// <summary>
        /// Wipes the chaining value, the schedule and any buffered input (which may hold key
        /// material when this hash serves an HMAC), and makes the instance unusable.
        /// </summary>
        public void Dispose()
        {
            Array.Clear(_state, 0, StateWords);
            ClearWorkingBuffers();
            _bufferLength = 0;
            _byteCount = 0;
            _disposed = true;
        }

        /// <summary>
        /// Copies the chaining value after a whole number of blocks. HMAC uses it to keep the
        /// state after the (key XOR pad) block and so skip one compression per MAC and side
        /// (RFC 2104 section 4, "precomputed" implementation note).
        /// </summary>
        /// <param name="destination">At least eight words.</param>
        internal void ExportState(uint[] destination)
        {
            ThrowIfNotWritable();
            if (_bufferLength != 0)
            {
                throw new InvalidOperationException("SHA-256 state can only be exported on a block boundary.");
            }

            Array.Copy(_state, destination, StateWords);
        }

        /// <summary>Restores a chaining value taken by <see cref="ExportState"/>.</summary>
        /// <param name="source">The eight state words.</param>
        /// <param name="byteCount">Message bytes already absorbed into that state (a multiple of 64).</param>
        internal void ImportState(uint[] source, ulong byteCount)
        {
            ThrowIfDisposed();
            Array.Copy(source, _state, StateWords);
            _byteCount = byteCount;
            _bufferLength = 0;
            _finalized = false;
        }

        /// <summary>Zeroes the schedule and the block buffer, which hold words of the last input.</summary>
        internal void ClearWorkingBuffers()
        {
            Array.Clear(_schedule, 0, _schedule.Length);
            Array.Clear(_buffer, 0, BlockLength);
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("Sha256");
            }
        }

        private void ThrowIfNotWritable()
        {
            ThrowIfDisposed();
            if (_finalized)
            {
                throw new InvalidOperationException("SHA-256: Final was already called; call Reset before hashing another message.");
            }
        }

        /// <summary>The SHA-256 compression function (FIPS 180-4 section 6.2.2) over one block.</summary>
        private void Compress(byte[] block, int offset)
        {
            uint[] w = _schedule;
            uint[] s = _state;

            // One length check lets the JIT drop the bounds checks on every constant index below.
            if (w.Length < 64 || s.Length < StateWords)
            {
                throw new InvalidOperationException("SHA-256 working arrays are corrupt.");
            }

            unchecked
            {
                // Step 1: the schedule. Words are big-endian (FIPS 180-4 section 3.1).
                for (int t = 0; t < 16; t++, offset += 4)
                {
                    w[t] = (uint)((block[offset] << 24) | (block[offset + 1] << 16) | (block[offset + 2] << 8) | block[offset + 3]);
                }

                for (int t = 16; t < 64; t++)
                {
                    uint x = w[t - 2];
                    uint y = w[t - 15];

                    // sigma1(x) + W(t-7) + sigma0(y) + W(t-16); rotations written out because
                    // nanoFramework has no BitOperations (the JIT turns these into ror).
                    w[t] = (((x >> 17) | (x << 15)) ^ ((x >> 19) | (x << 13)) ^ (x >> 10)) + w[t - 7]
                        + (((y >> 7) | (y << 25)) ^ ((y >> 18) | (y << 14)) ^ (y >> 3)) + w[t - 16];
                }

                // Steps 2-3: 64 rounds. Each round is
                //   T1 = h + Sigma1(e) + Ch(e, f, g) + K(t) + W(t);  T2 = Sigma0(a) + Maj(a, b, c)
                //   d += T1;  h = T1 + T2
                // and instead of shifting a..h down by one every round, the next round names the
                // same eight locals one position further on. Ch is written g ^ (e & (f ^ g)) and
                // Maj (a & b) ^ (c & (a ^ b)): same values as FIPS 180-4 (4.2, 4.3), fewer operations.
                uint a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];

                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x428a2f98U + w[0];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x71374491U + w[1];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0xb5c0fbcfU + w[2];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0xe9b5dba5U + w[3];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x3956c25bU + w[4];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x59f111f1U + w[5];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x923f82a4U + w[6];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0xab1c5ed5U + w[7];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0xd807aa98U + w[8];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x12835b01U + w[9];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x243185beU + w[10];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x550c7dc3U + w[11];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x72be5d74U + w[12];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x80deb1feU + w[13];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x9bdc06a7U + w[14];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0xc19bf174U + w[15];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0xe49b69c1U + w[16];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0xefbe4786U + w[17];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x0fc19dc6U + w[18];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x240ca1ccU + w[19];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x2de92c6fU + w[20];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4a7484aaU + w[21];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5cb0a9dcU + w[22];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x76f988daU + w[23];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x983e5152U + w[24];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0xa831c66dU + w[25];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0xb00327c8U + w[26];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0xbf597fc7U + w[27];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0xc6e00bf3U + w[28];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0xd5a79147U + w[29];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x06ca6351U + w[30];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x14292967U + w[31];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x27b70a85U + w[32];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x2e1b2138U + w[33];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x4d2c6dfcU + w[34];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x53380d13U + w[35];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x650a7354U + w[36];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x766a0abbU + w[37];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x81c2c92eU + w[38];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x92722c85U + w[39];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0xa2bfe8a1U + w[40];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0xa81a664bU + w[41];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0xc24b8b70U + w[42];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0xc76c51a3U + w[43];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0xd192e819U + w[44];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0xd6990624U + w[45];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0xf40e3585U + w[46];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x106aa070U + w[47];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x19a4c116U + w[48];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x1e376c08U + w[49];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x2748774cU + w[50];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x34b0bcb5U + w[51];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x391c0cb3U + w[52];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4ed8aa4aU + w[53];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5b9cca4fU + w[54];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x682e6ff3U + w[55];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x748f82eeU + w[56];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b)));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x78a5636fU + w[57];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) ^ (b & (h ^ a)));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x84c87814U + w[58];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) ^ (a & (g ^ h)));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x8cc70208U + w[59];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (h & (f ^ g)));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x90befffaU + w[60];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f)));
                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0xa4506cebU + w[61];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e)));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0xbef9a3f7U + w[62];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d)));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0xc67178f2U + w[63];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c)));

                // Step 4: the next chaining value.
                s[0] += a;
                s[1] += b;
                s[2] += c;
                s[3] += d;
                s[4] += e;
                s[5] += f;
                s[6] += g;
                s[7] += h;
            }
        }
    }
}
