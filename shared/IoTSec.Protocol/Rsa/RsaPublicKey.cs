using System;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// An RSA public key (n, e) accepted for PS256 verification: a modulus of
    /// <see cref="MinimumModulusBits"/> to <see cref="MaximumModulusBits"/> bits and the
    /// exponent 65537. Immutable; build it once and verify any number of signatures with it
    /// (the first verification also computes the key's Montgomery constant R² mod n, about
    /// 60 % of the cost of one verification, and keeps it).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why 2048 bits at least: NIST SP 800-57 Part 1 and SP 800-131A disallow RSA moduli
    /// below 2048 bits for signatures; a manifest key lives for the device's whole life.
    /// Why 4096 at most: verification time grows with the square of the size, and the upper
    /// bound keeps a hostile key from a trust-anchor update out of reach of a cheap
    /// denial of service (4096 bits costs four times 2048).
    /// </para>
    /// <para>
    /// Why only e = 65537 (F4): it is what every current toolchain generates (.NET, OpenSSL,
    /// cloud KMSs, HSMs), and it fixes the verification cost at 16 squarings and one
    /// multiplication. Accepting any odd e ≥ 3 would let a key with a large exponent make
    /// verification arbitrarily slow on a device that must stay responsive, and e = 3 has a
    /// history of implementation pitfalls (Bleichenbacher's 2006 forgery against sloppy
    /// PKCS#1 v1.5 parsers). One exponent, one code path, one figure in ADR 0004.
    /// </para>
    /// </remarks>
    public sealed class RsaPublicKey
    {
        /// <summary>Smallest modulus accepted, in bits.</summary>
        public const int MinimumModulusBits = 2048;

        /// <summary>Largest modulus accepted, in bits.</summary>
        public const int MaximumModulusBits = 4096;

        /// <summary>The only public exponent accepted.</summary>
        public const int RequiredExponent = 65537;

        private readonly byte[] _modulus;
        private readonly MontgomeryModulus _montgomery;

        private RsaPublicKey(byte[] modulus, int modulusBits)
        {
            _modulus = modulus;
            ModulusBits = modulusBits;
            int k = (modulus.Length + 3) / 4;
            _montgomery = new MontgomeryModulus(BigEndianToLimbs(modulus, 0, modulus.Length, k), modulusBits);
        }

        /// <summary>Bit length of the modulus n (2048 for a 2048-bit key).</summary>
        public int ModulusBits { get; }

        /// <summary>Length of n in bytes, which is also the length every signature must have (RFC 8017 §8.1.2 step 1).</summary>
        public int ModulusLength
        {
            get { return _modulus.Length; }
        }

        /// <summary>The Montgomery arithmetic for this modulus.</summary>
        internal MontgomeryModulus Montgomery
        {
            get { return _montgomery; }
        }

        /// <summary>
        /// Builds a key from the big-endian unsigned modulus and exponent (for example
        /// .NET's <c>RSAParameters.Modulus</c> and <c>.Exponent</c>). Leading zero bytes are
        /// ignored here; the COSE_Key decoder, which must see one encoding only, refuses them.
        /// </summary>
        /// <param name="modulus">n, unsigned big-endian.</param>
        /// <param name="exponent">e, unsigned big-endian; must be 65537.</param>
        /// <returns>The key.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="RsaKeyException">Size, exponent or modulus refused.</exception>
        public static RsaPublicKey FromModulusAndExponent(byte[] modulus, byte[] exponent)
        {
            if (modulus == null)
            {
                throw new ArgumentNullException(nameof(modulus));
            }

            if (exponent == null)
            {
                throw new ArgumentNullException(nameof(exponent));
            }

            return Create(modulus, 0, modulus.Length, exponent, 0, exponent.Length);
        }

        /// <summary>Builds a key from ranges of big-endian unsigned integers, as the decoders find them.</summary>
        internal static RsaPublicKey Create(byte[] modulus, int modulusOffset, int modulusCount, byte[] exponent, int exponentOffset, int exponentCount)
        {
            // Exponent first: it is cheap to check and rules out most foreign keys.
            int e = 0;
            int exponentStart = SkipLeadingZeros(exponent, exponentOffset, exponentCount);
            int exponentLength = exponentOffset + exponentCount - exponentStart;
            if (exponentLength > 3)
            {
                throw new RsaKeyException(RsaKeyRejection.UnsupportedExponent, "the public exponent is longer than 3 bytes; only 65537 is accepted");
            }

            for (int i = 0; i < exponentLength; i++)
            {
                e = (e << 8) | exponent[exponentStart + i];
            }

            if (e != RequiredExponent)
            {
                throw new RsaKeyException(RsaKeyRejection.UnsupportedExponent, "public exponent " + e.ToString() + " is not 65537");
            }

            int modulusStart = SkipLeadingZeros(modulus, modulusOffset, modulusCount);
            int modulusLength = modulusOffset + modulusCount - modulusStart;
            if (modulusLength == 0)
            {
                throw new RsaKeyException(RsaKeyRejection.InvalidModulus, "the modulus is zero");
            }

            // Bound the length before computing anything from it (the bit count below is
            // then small enough for int arithmetic).
            if (modulusLength > MaximumModulusBits / 8)
            {
                throw new RsaKeyException(RsaKeyRejection.UnsupportedKeySize, "the modulus has more than " + MaximumModulusBits.ToString() + " bits");
            }

            int bits = (modulusLength * 8) - LeadingZeroBits(modulus[modulusStart]);
            if (bits < MinimumModulusBits)
            {
                throw new RsaKeyException(RsaKeyRejection.UnsupportedKeySize, "a " + bits.ToString() + "-bit modulus is below the minimum of " + MinimumModulusBits.ToString() + " bits");
            }

            if ((modulus[modulusStart + modulusLength - 1] & 1) == 0)
            {
                throw new RsaKeyException(RsaKeyRejection.InvalidModulus, "the modulus is even");
            }

            byte[] n = new byte[modulusLength];
            Array.Copy(modulus, modulusStart, n, 0, modulusLength);
            return new RsaPublicKey(n, bits);
        }

        /// <summary>The modulus n, unsigned big-endian without leading zero bytes (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetModulus()
        {
            byte[] copy = new byte[_modulus.Length];
            Array.Copy(_modulus, copy, _modulus.Length);
            return copy;
        }

        /// <summary>The exponent e, unsigned big-endian without leading zero bytes: always 01 00 01.</summary>
        /// <returns>A new array.</returns>
        public static byte[] GetExponent()
        {
            return new byte[] { 0x01, 0x00, 0x01 };
        }

        /// <summary>True when <paramref name="other"/> is the same key (same modulus; the exponent is always 65537).</summary>
        /// <param name="other">Another key, or null.</param>
        /// <returns>True for the same key.</returns>
        public bool HasSameValue(RsaPublicKey other)
        {
            if (other == null || other._modulus.Length != _modulus.Length)
            {
                return false;
            }

            for (int i = 0; i < _modulus.Length; i++)
            {
                if (other._modulus[i] != _modulus[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Converts <paramref name="count"/> big-endian bytes into <paramref name="limbs"/> little-endian 32-bit limbs (the bytes must fit).</summary>
        internal static uint[] BigEndianToLimbs(byte[] source, int offset, int count, int limbs)
        {
            uint[] result = new uint[limbs];
            for (int i = 0; i < count; i++)
            {
                // Byte i from the right end goes to limb i / 4, at bit 8·(i mod 4).
                int fromRight = count - 1 - i;
                result[fromRight / 4] |= (uint)source[offset + i] << (8 * (fromRight % 4));
            }

            return result;
        }

        /// <summary>Writes the low <paramref name="count"/> bytes of a limb number big-endian into <paramref name="destination"/>.</summary>
        internal static void LimbsToBigEndian(uint[] limbs, byte[] destination, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int fromRight = count - 1 - i;
                int limb = fromRight / 4;
                destination[offset + i] = limb < limbs.Length ? (byte)(limbs[limb] >> (8 * (fromRight % 4))) : (byte)0;
            }
        }

        private static int SkipLeadingZeros(byte[] data, int offset, int count)
        {
            int end = offset + count;
            int i = offset;
            while (i < end && data[i] == 0)
            {
                i++;
            }

            return i;
        }

        private static int LeadingZeroBits(byte value)
        {
            int zeros = 0;
            for (int mask = 0x80; mask != 0 && (value & mask) == 0; mask >>= 1)
            {
                zeros++;
            }

            return zeros;
        }
    }
}
