using System;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// RSASSA-PSS signature verification with SHA-256, MGF1-SHA-256 and a 32-byte salt: the
    /// COSE algorithm PS256 (RFC 8230 §2, alg -37), and what .NET's
    /// <c>RSA.SignData(data, SHA256, RSASignaturePadding.Pss)</c> produces (its salt is the
    /// hash length). Verification only: there is no private key on the device.
    /// </summary>
    /// <remarks>
    /// Follows RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) and EMSA-PSS-VERIFY (§9.1.2) step by
    /// step; the step numbers are in the code. The salt length is fixed at 32 rather than
    /// recovered from the padding, as RFC 8230 §2 fixes it for PS256: a signature made with
    /// another salt length is refused (<see cref="PssVerificationResult.BadPadding"/>).
    /// </remarks>
    public static class RsaPssSha256
    {
        /// <summary>hLen: SHA-256 output length in bytes.</summary>
        public const int HashLength = 32;

        /// <summary>sLen: the salt length PS256 fixes (RFC 8230 §2: the hash length).</summary>
        public const int SaltLength = 32;

        private const byte Trailer = 0xbc;

        /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with the portable SHA-256.</summary>
        /// <param name="key">The signer's public key.</param>
        /// <param name="data">The signed message M.</param>
        /// <param name="signature">The signature S.</param>
        /// <returns><see cref="PssVerificationResult.Valid"/> or the first check that failed.</returns>
        public static PssVerificationResult VerifyData(RsaPublicKey key, byte[] data, byte[] signature)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }

            return VerifyData(key, data, 0, data.Length, signature, PortableDigests.Instance);
        }

        /// <summary>Verifies <paramref name="signature"/> over <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        /// <param name="key">The signer's public key.</param>
        /// <param name="data">Buffer holding the signed message M.</param>
        /// <param name="offset">Index of M's first byte.</param>
        /// <param name="count">Length of M.</param>
        /// <param name="signature">The signature S.</param>
        /// <param name="digests">Where SHA-256 comes from (portable or native).</param>
        /// <returns><see cref="PssVerificationResult.Valid"/> or the first check that failed.</returns>
        public static PssVerificationResult VerifyData(RsaPublicKey key, byte[] data, int offset, int count, byte[] signature, IDigestProvider digests)
        {
            if (digests == null)
            {
                throw new ArgumentNullException(nameof(digests));
            }

            CryptoArguments.CheckRange(data, offset, count, nameof(data));
            byte[] messageHash = new byte[HashLength];
            IHashAlgorithm sha = digests.CreateSha256();
            try
            {
                sha.Update(data, offset, count);
                sha.Final(messageHash, 0);
            }
            finally
            {
                sha.Dispose();
            }

            return VerifyHash(key, messageHash, signature, digests);
        }

        /// <summary>
        /// Verifies <paramref name="signature"/> given mHash = SHA-256(M) already computed, for
        /// messages hashed as they streamed in.
        /// </summary>
        /// <param name="key">The signer's public key.</param>
        /// <param name="messageHash">SHA-256 of the message, 32 bytes.</param>
        /// <param name="signature">The signature S.</param>
        /// <param name="digests">Where SHA-256 comes from (for MGF1 and H′).</param>
        /// <returns><see cref="PssVerificationResult.Valid"/> or the first check that failed.</returns>
        public static PssVerificationResult VerifyHash(RsaPublicKey key, byte[] messageHash, byte[] signature, IDigestProvider digests)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (messageHash == null)
            {
                throw new ArgumentNullException(nameof(messageHash));
            }

            if (messageHash.Length != HashLength)
            {
                throw new ArgumentException("a SHA-256 hash has 32 bytes", nameof(messageHash));
            }

            if (signature == null)
            {
                throw new ArgumentNullException(nameof(signature));
            }

            if (digests == null)
            {
                throw new ArgumentNullException(nameof(digests));
            }

            // RFC 8017 §8.1.2 step 1: length checking.
            int k = key.ModulusLength;
            if (signature.Length != k)
            {
                return PssVerificationResult.WrongSignatureLength;
            }

            // Step 2a-b: s = OS2IP(S); RSAVP1 refuses s >= n; m = s^e mod n.
            MontgomeryModulus modulus = key.Montgomery;
            int limbs = modulus.LimbCount;
            uint[] s = RsaPublicKey.BigEndianToLimbs(signature, 0, k, limbs);
            if (MontgomeryModulus.CompareLimbs(s, modulus.Limbs, limbs) >= 0)
            {
                return PssVerificationResult.SignatureOutOfRange;
            }

            uint[] m = modulus.PowerF4(s);

            // Step 2c: EM = I2OSP(m, emLen) with emBits = modBits - 1. emLen is k - 1 when
            // modBits ≡ 1 (mod 8); m must then have a zero top byte.
            int emBits = key.ModulusBits - 1;
            int emLength = (emBits + 7) / 8;
            byte[] full = new byte[k];
            RsaPublicKey.LimbsToBigEndian(m, full, 0, k);
            for (int i = 0; i < k - emLength; i++)
            {
                if (full[i] != 0)
                {
                    return PssVerificationResult.EncodedMessageTooLong;
                }
            }

            byte[] encoded = new byte[emLength];
            Array.Copy(full, k - emLength, encoded, 0, emLength);

            // Step 3: EMSA-PSS-VERIFY.
            return VerifyEncodedMessage(messageHash, encoded, emBits, digests);
        }

        /// <summary>The name of a result (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="result">A result.</param>
        /// <returns>Its name.</returns>
        public static string ResultName(PssVerificationResult result)
        {
            switch (result)
            {
                case PssVerificationResult.Valid: return "Valid";
                case PssVerificationResult.WrongSignatureLength: return "WrongSignatureLength";
                case PssVerificationResult.SignatureOutOfRange: return "SignatureOutOfRange";
                case PssVerificationResult.EncodedMessageTooLong: return "EncodedMessageTooLong";
                case PssVerificationResult.BadTrailer: return "BadTrailer";
                case PssVerificationResult.NonZeroLeftmostBits: return "NonZeroLeftmostBits";
                case PssVerificationResult.BadPadding: return "BadPadding";
                case PssVerificationResult.HashMismatch: return "HashMismatch";
                default: return "Result" + ((int)result).ToString();
            }
        }

        /// <summary>
        /// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) for SHA-256, MGF1-SHA-256 and sLen = 32, on an
        /// encoded message EM of emLen = ⌈emBits/8⌉ bytes. <paramref name="encoded"/> is
        /// changed (DB is unmasked in place).
        /// </summary>
        internal static PssVerificationResult VerifyEncodedMessage(byte[] messageHash, byte[] encoded, int emBits, IDigestProvider digests)
        {
            int emLength = encoded.Length;

            // Step 3: emLen < hLen + sLen + 2 cannot hold the encoding.
            if (emLength < HashLength + SaltLength + 2)
            {
                return PssVerificationResult.BadPadding;
            }

            // Step 4: the rightmost octet must be 0xbc.
            if (encoded[emLength - 1] != Trailer)
            {
                return PssVerificationResult.BadTrailer;
            }

            // Step 5: maskedDB is the leftmost emLen - hLen - 1 octets, H the next hLen.
            int dbLength = emLength - HashLength - 1;
            int hOffset = dbLength;

            // Step 6: the leftmost 8·emLen - emBits bits of maskedDB must be zero.
            int zeroBits = (8 * emLength) - emBits;
            int topMask = (0xFF << (8 - zeroBits)) & 0xFF;
            if ((encoded[0] & topMask) != 0)
            {
                return PssVerificationResult.NonZeroLeftmostBits;
            }

            // Steps 7-8: DB = maskedDB xor MGF1(H, emLen - hLen - 1), in place.
            IHashAlgorithm sha = digests.CreateSha256();
            try
            {
                XorMgf1(sha, encoded, hOffset, encoded, dbLength);

                // Step 9: clear the bits that step 6 required to be zero.
                encoded[0] &= (byte)(0xFF >> zeroBits);

                // Step 10: DB = PS (zeros) || 0x01 || salt, PS being emLen - hLen - sLen - 2 octets.
                int paddingLength = dbLength - SaltLength - 1;
                int nonZero = 0;
                for (int i = 0; i < paddingLength; i++)
                {
                    nonZero |= encoded[i];
                }

                if (nonZero != 0 || encoded[paddingLength] != 0x01)
                {
                    return PssVerificationResult.BadPadding;
                }

                // Steps 11-13: H' = Hash(00 00 00 00 00 00 00 00 || mHash || salt).
                sha.Reset();
                sha.Update(new byte[8], 0, 8);
                sha.Update(messageHash, 0, HashLength);
                sha.Update(encoded, dbLength - SaltLength, SaltLength);
                byte[] hPrime = new byte[HashLength];
                sha.Final(hPrime, 0);

                // Step 14: H = H'. Nothing here is secret; ConstantTime is used because it is
                // the one comparison helper the library has.
                return ConstantTime.AreEqual(encoded, hOffset, hPrime, 0, HashLength)
                    ? PssVerificationResult.Valid
                    : PssVerificationResult.HashMismatch;
            }
            finally
            {
                sha.Dispose();
            }
        }

        /// <summary>
        /// target[0..length) ^= MGF1-SHA-256(seed, length) (RFC 8017 appendix B.2.1): the
        /// concatenation of SHA-256(seed || C) for the 4-byte big-endian counter C = 0, 1, ...
        /// </summary>
        private static void XorMgf1(IHashAlgorithm sha, byte[] seed, int seedOffset, byte[] target, int length)
        {
            byte[] counter = new byte[4];
            byte[] block = new byte[HashLength];
            int done = 0;
            uint c = 0;
            while (done < length)
            {
                counter[0] = (byte)(c >> 24);
                counter[1] = (byte)(c >> 16);
                counter[2] = (byte)(c >> 8);
                counter[3] = (byte)c;
                sha.Reset();
                sha.Update(seed, seedOffset, HashLength);
                sha.Update(counter, 0, 4);
                sha.Final(block, 0);

                int take = length - done < HashLength ? length - done : HashLength;
                for (int i = 0; i < take; i++)
                {
                    target[done + i] ^= block[i];
                }

                done += take;
                c++;
            }
        }
    }
}
