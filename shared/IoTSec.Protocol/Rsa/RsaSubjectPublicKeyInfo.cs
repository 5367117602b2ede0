using System;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// Reads an RSA public key from a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 3279
    /// §2.3.1), the form .NET's <c>ExportSubjectPublicKeyInfo</c>, OpenSSL's
    /// <c>-pubout -outform DER</c> and X.509 certificates carry. For the tools and the
    /// gateway; the device stores the COSE_Key form (<see cref="RsaCoseKey"/>).
    /// </summary>
    /// <remarks>
    /// <para>The exact structure accepted, and nothing else:</para>
    /// <code>
    /// SEQUENCE {
    ///   SEQUENCE { OBJECT IDENTIFIER 1.2.840.113549.1.1.1 (rsaEncryption), NULL },
    ///   BIT STRING (0 unused bits) { SEQUENCE { INTEGER n, INTEGER e } } }
    /// </code>
    /// <para>
    /// A self-contained strict DER subset (X.690 §10): definite lengths in their shortest
    /// form, INTEGERs positive and minimal, nothing after the outer SEQUENCE. The general DER
    /// reader of the protocol library is not used here, so this file stands alone. An
    /// id-RSASSA-PSS key (1.2.840.113549.1.1.10, with parameters) is refused as
    /// <see cref="RsaKeyRejection.UnsupportedKeyType"/>.
    /// </para>
    /// </remarks>
    public static class RsaSubjectPublicKeyInfo
    {
        private const int TagInteger = 0x02;
        private const int TagBitString = 0x03;
        private const int TagNull = 0x05;
        private const int TagOid = 0x06;
        private const int TagSequence = 0x30;

        // The DER content of OID 1.2.840.113549.1.1.1.
        private static readonly byte[] RsaEncryptionOid = new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };

        /// <summary>Decodes a SubjectPublicKeyInfo that fills all of <paramref name="der"/>.</summary>
        /// <param name="der">The DER encoding.</param>
        /// <returns>The key.</returns>
        /// <exception cref="RsaKeyException">The encoding or the key is refused.</exception>
        public static RsaPublicKey Decode(byte[] der)
        {
            if (der == null)
            {
                throw new ArgumentNullException(nameof(der));
            }

            int position = 0;
            int spkiEnd = ReadHeader(der, ref position, der.Length, TagSequence, "SubjectPublicKeyInfo");
            if (spkiEnd != der.Length)
            {
                throw Malformed("bytes follow the SubjectPublicKeyInfo");
            }

            int algorithmEnd = ReadHeader(der, ref position, spkiEnd, TagSequence, "AlgorithmIdentifier");
            int oidEnd = ReadHeader(der, ref position, algorithmEnd, TagOid, "algorithm OID");
            if (!IsRsaEncryption(der, position, oidEnd - position))
            {
                throw new RsaKeyException(RsaKeyRejection.UnsupportedKeyType, "the SubjectPublicKeyInfo algorithm is not rsaEncryption (1.2.840.113549.1.1.1)");
            }

            position = oidEnd;

            // RFC 3279 §2.3.1: the parameters of rsaEncryption MUST be NULL.
            int nullEnd = ReadHeader(der, ref position, algorithmEnd, TagNull, "algorithm parameters");
            if (nullEnd != position || nullEnd != algorithmEnd)
            {
                throw Malformed("rsaEncryption parameters must be exactly NULL");
            }

            int bitStringEnd = ReadHeader(der, ref position, spkiEnd, TagBitString, "subjectPublicKey");
            if (bitStringEnd != spkiEnd || position == bitStringEnd || der[position] != 0)
            {
                throw Malformed("subjectPublicKey must be a BIT STRING with 0 unused bits ending the structure");
            }

            position++;
            int rsaKeyEnd = ReadHeader(der, ref position, bitStringEnd, TagSequence, "RSAPublicKey");
            if (rsaKeyEnd != bitStringEnd)
            {
                throw Malformed("bytes follow the RSAPublicKey");
            }

            int nStart;
            int nLength;
            ReadPositiveInteger(der, ref position, rsaKeyEnd, "modulus", out nStart, out nLength);
            int eStart;
            int eLength;
            ReadPositiveInteger(der, ref position, rsaKeyEnd, "publicExponent", out eStart, out eLength);
            if (position != rsaKeyEnd)
            {
                throw Malformed("RSAPublicKey has more than two INTEGERs");
            }

            return RsaPublicKey.Create(der, nStart, nLength, der, eStart, eLength);
        }

        /// <summary>Reads a tag and a DER length at <paramref name="position"/>; returns the end of the content, which must not pass <paramref name="limit"/>.</summary>
        private static int ReadHeader(byte[] der, ref int position, int limit, int expectedTag, string what)
        {
            if (limit - position < 2)
            {
                throw Malformed(what + " is truncated");
            }

            if (der[position] != expectedTag)
            {
                throw Malformed(what + " has tag 0x" + der[position].ToString("X2") + ", expected 0x" + expectedTag.ToString("X2"));
            }

            int first = der[position + 1];
            position += 2;
            int length;
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                // Long form: 0x81 or 0x82 followed by 1 or 2 length octets (65535 bytes is far
                // beyond a 4096-bit key); 0x80 (indefinite) is not DER.
                int octets = first & 0x7F;
                if (octets == 0 || octets > 2 || limit - position < octets)
                {
                    throw Malformed(what + " has an unsupported or truncated length");
                }

                length = 0;
                for (int i = 0; i < octets; i++)
                {
                    length = (length << 8) | der[position + i];
                }

                position += octets;

                // X.690 §10.1: the shortest form. Below 128 the short form is required; a
                // leading zero length octet is never minimal.
                if (length < 0x80 || (octets == 2 && length < 0x100))
                {
                    throw Malformed(what + " length is not in its shortest form");
                }
            }

            if (length > limit - position)
            {
                throw Malformed(what + " claims " + length.ToString() + " bytes, " + (limit - position).ToString() + " remain");
            }

            return position + length;
        }

        private static void ReadPositiveInteger(byte[] der, ref int position, int limit, string what, out int start, out int length)
        {
            int end = ReadHeader(der, ref position, limit, TagInteger, what);
            length = end - position;
            if (length == 0)
            {
                throw Malformed(what + " is an empty INTEGER");
            }

            // X.690 §8.3.2: no redundant leading 0x00 (or 0xFF); a set top bit is negative.
            if ((der[position] & 0x80) != 0)
            {
                throw Malformed(what + " is negative");
            }

            if (length > 1 && der[position] == 0 && (der[position + 1] & 0x80) == 0)
            {
                throw Malformed(what + " INTEGER is not minimal");
            }

            start = position;
            position = end;
        }

        private static bool IsRsaEncryption(byte[] der, int offset, int length)
        {
            if (length != RsaEncryptionOid.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (der[offset + i] != RsaEncryptionOid[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static RsaKeyException Malformed(string detail)
        {
            return new RsaKeyException(RsaKeyRejection.Malformed, "SubjectPublicKeyInfo: " + detail);
        }
    }
}
