using System;
using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// The COSE_Key form of an RSA public key (RFC 9052 §7, RFC 8230 §4): the form the device
    /// stores its OTA trust anchors in, and the form a trust-anchor update carries.
    /// </summary>
    /// <remarks>
    /// <para>Encoding, deterministic (RFC 8949 §4.2.1), keys in this order:</para>
    /// <code>
    /// { 1 (kty): 3 (RSA), ? 2 (kid): bstr, ? 3 (alg): -37 (PS256), -1 (n): bstr, -2 (e): bstr }
    /// </code>
    /// <para>
    /// n and e are unsigned big-endian with the minimum number of octets (RFC 8230 §4): a
    /// leading zero byte is refused, so a key has one encoding. Any other label is refused,
    /// including the private-key parameters -3 to -12: a device must never be handed private
    /// material by mistake, and an unknown parameter might restrict the key in a way this
    /// decoder would ignore (key_ops, for one).
    /// </para>
    /// </remarks>
    public static class RsaCoseKey
    {
        /// <summary>COSE key type RSA (RFC 8230 §4).</summary>
        public const int KeyTypeRsa = 3;

        private const int LabelKty = 1;
        private const int LabelKid = 2;
        private const int LabelAlg = 3;
        private const int LabelN = -1;
        private const int LabelE = -2;
        private const int AlgorithmPs256 = -37;

        /// <summary>
        /// Longest kid accepted, in bytes: a hostile update must not make the device store a
        /// large blob as a key identifier.
        /// </summary>
        public const int MaxKeyIdLength = 64;

        /// <summary>Encodes <paramref name="key"/> as a COSE_Key with alg PS256 and an optional kid.</summary>
        /// <param name="key">The public key.</param>
        /// <param name="keyId">The kid, or an empty array to leave it out.</param>
        /// <returns>The deterministic CBOR encoding.</returns>
        public static byte[] Encode(RsaPublicKey key, byte[] keyId)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (keyId == null)
            {
                throw new ArgumentNullException(nameof(keyId));
            }

            if (keyId.Length > MaxKeyIdLength)
            {
                throw new ArgumentException("a kid has at most " + MaxKeyIdLength.ToString() + " bytes", nameof(keyId));
            }

            CborWriter writer = new CborWriter(key.ModulusLength + 32);
            writer.WriteStartMap(keyId.Length == 0 ? 4 : 5);
            writer.WriteInt32(LabelKty);
            writer.WriteInt32(KeyTypeRsa);
            if (keyId.Length != 0)
            {
                writer.WriteInt32(LabelKid);
                writer.WriteByteString(keyId);
            }

            writer.WriteInt32(LabelAlg);
            writer.WriteInt32(AlgorithmPs256);
            writer.WriteInt32(LabelN);
            writer.WriteByteString(key.GetModulus());
            writer.WriteInt32(LabelE);
            writer.WriteByteString(RsaPublicKey.GetExponent());
            return writer.Encode();
        }

        /// <summary>Decodes a COSE_Key that fills all of <paramref name="encoded"/>, ignoring its kid.</summary>
        /// <param name="encoded">The CBOR encoding.</param>
        /// <returns>The key.</returns>
        /// <exception cref="RsaKeyException">The key or its encoding is refused.</exception>
        public static RsaPublicKey Decode(byte[] encoded)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException(nameof(encoded));
            }

            byte[] keyId;
            return Decode(encoded, 0, encoded.Length, out keyId);
        }

        /// <summary>Decodes a COSE_Key that fills <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        /// <param name="buffer">Buffer holding the encoding.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="count">Its length.</param>
        /// <param name="keyId">The kid (label 2), or an empty array when absent (an empty kid is refused).</param>
        /// <returns>The key.</returns>
        /// <exception cref="RsaKeyException">The key or its encoding is refused.</exception>
        public static RsaPublicKey Decode(byte[] buffer, int offset, int count, out byte[] keyId)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || offset > buffer.Length || count < 0 || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            try
            {
                return DecodeMap(buffer, new CborReader(buffer, offset, count), out keyId);
            }
            catch (CborException ex)
            {
                throw new RsaKeyException(RsaKeyRejection.Malformed, "COSE_Key: " + ex.Message);
            }
        }

        private static RsaPublicKey DecodeMap(byte[] buffer, CborReader reader, out byte[] keyId)
        {
            keyId = new byte[0];
            int pairs = reader.ReadStartMap();
            bool haveKty = false;
            int nOffset = -1;
            int nLength = 0;
            int eOffset = -1;
            int eLength = 0;
            for (int i = 0; i < pairs; i++)
            {
                // The deterministic reader has already refused duplicates and disorder.
                if (reader.PeekState() != CborReaderState.UnsignedInteger && reader.PeekState() != CborReaderState.NegativeInteger)
                {
                    throw new RsaKeyException(RsaKeyRejection.Malformed, "COSE_Key labels must be integers here");
                }

                long label = reader.ReadInt64();
                switch (label)
                {
                    case LabelKty:
                        if (reader.PeekState() != CborReaderState.UnsignedInteger || reader.ReadInt64() != KeyTypeRsa)
                        {
                            throw new RsaKeyException(RsaKeyRejection.UnsupportedKeyType, "COSE_Key kty is not 3 (RSA)");
                        }

                        haveKty = true;
                        break;
                    case LabelKid:
                        keyId = reader.ReadByteString();
                        if (keyId.Length == 0 || keyId.Length > MaxKeyIdLength)
                        {
                            throw new RsaKeyException(RsaKeyRejection.Malformed, "COSE_Key kid must have 1 to " + MaxKeyIdLength.ToString() + " bytes");
                        }

                        break;
                    case LabelAlg:
                        if (reader.PeekState() != CborReaderState.NegativeInteger || reader.ReadInt64() != AlgorithmPs256)
                        {
                            throw new RsaKeyException(RsaKeyRejection.UnsupportedAlgorithm, "COSE_Key alg is not -37 (PS256)");
                        }

                        break;
                    case LabelN:
                        reader.ReadByteStringSegment(out nOffset, out nLength);
                        break;
                    case LabelE:
                        reader.ReadByteStringSegment(out eOffset, out eLength);
                        break;
                    default:
                        throw new RsaKeyException(
                            RsaKeyRejection.Malformed,
                            label <= -3 && label >= -12
                                ? "COSE_Key carries private-key parameter " + label.ToString()
                                : "COSE_Key carries unsupported parameter " + label.ToString());
                }
            }

            reader.ReadEndMap();
            reader.ReadEnd();

            if (!haveKty)
            {
                throw new RsaKeyException(RsaKeyRejection.Malformed, "COSE_Key has no kty");
            }

            if (nOffset < 0 || eOffset < 0)
            {
                throw new RsaKeyException(RsaKeyRejection.Malformed, "COSE_Key lacks n or e");
            }

            if ((nLength > 0 && buffer[nOffset] == 0) || (eLength > 0 && buffer[eOffset] == 0))
            {
                throw new RsaKeyException(RsaKeyRejection.Malformed, "n and e must use the minimum number of octets (RFC 8230 section 4)");
            }

            return RsaPublicKey.Create(buffer, nOffset, nLength, buffer, eOffset, eLength);
        }
    }
}
