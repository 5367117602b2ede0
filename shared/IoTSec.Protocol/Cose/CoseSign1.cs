using System;
using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Cose
{
    /// <summary>
    /// A COSE_Sign1 message (RFC 9052 §4.2) as this profile uses it: tagged (tag 18), payload
    /// embedded, headers parsed for alg, crit, content type and kid. <see cref="Decode"/> only
    /// parses; <see cref="CoseSign1Verifier"/> decides whether to trust it. The static
    /// encoders build messages for tools and tests from a signature produced elsewhere.
    /// </summary>
    /// <remarks>
    /// <para>
    /// What is signed (RFC 9052 §4.4) is the Sig_structure
    /// <c>["Signature1", body_protected, external_aad, payload]</c>, encoded
    /// deterministically, where body_protected is the protected header's byte string exactly
    /// as received and external_aad is empty here. The unprotected header and the outer
    /// encoding are not signed.
    /// </para>
    /// <para>
    /// Why the envelope is read leniently (<see cref="CborConformance.Lax"/>) while the
    /// payload is not: the signature covers the protected header and the payload as byte
    /// strings, so a re-encoding of the outer array or of the header maps cannot change what
    /// is verified. Other COSE libraries (System.Security.Cryptography.Cose among them) write
    /// header maps in insertion order, not in deterministic order; accepting that costs
    /// nothing. Duplicate labels, which the lax reader does not catch, are refused here
    /// (RFC 9052 §3: a label appears once, in one of the two maps). The manifest and anchor
    /// payloads are decoded with the deterministic reader.
    /// </para>
    /// </remarks>
    public sealed class CoseSign1
    {
        /// <summary>The CBOR tag of COSE_Sign1 (RFC 9052 §2).</summary>
        public const ulong Tag = 18;

        /// <summary>Most header parameters read from one map; more is refused as malformed.</summary>
        public const int MaxHeaderParameters = 16;

        private const string SignatureContext = "Signature1";

        private readonly byte[] _protectedHeader;
        private readonly byte[] _keyId;
        private readonly byte[] _payload;
        private readonly byte[] _signature;

        private CoseSign1(byte[] protectedHeader, HeaderSummary headers, byte[] payload, byte[] signature)
        {
            _protectedHeader = protectedHeader;
            _keyId = headers.KeyId;
            _payload = payload;
            _signature = signature;
            HasAlgorithm = headers.HasAlgorithm;
            Algorithm = headers.Algorithm;
            HasCriticalHeader = headers.HasCritical;
            ContentType = headers.ContentType;
            KeyIdIsProtected = headers.KeyIdIsProtected;
        }

        /// <summary>True when the protected header carries alg.</summary>
        public bool HasAlgorithm { get; }

        /// <summary>The protected alg when it is an integer in the int range; 0 (reserved, never valid) when it is a text string or out of range.</summary>
        public int Algorithm { get; }

        /// <summary>True when the protected header carries crit.</summary>
        public bool HasCriticalHeader { get; }

        /// <summary>The protected content type when it is a text string; empty when absent or numeric.</summary>
        public string ContentType { get; }

        /// <summary>True when the kid came from the protected header (it is then covered by the signature).</summary>
        public bool KeyIdIsProtected { get; }

        /// <summary>The kid (protected header first, else unprotected), or an empty array when absent. A copy.</summary>
        /// <returns>A new array.</returns>
        public byte[] GetKeyId()
        {
            return Copy(_keyId);
        }

        /// <summary>The protected header's serialized map, as received (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetProtectedHeader()
        {
            return Copy(_protectedHeader);
        }

        /// <summary>The payload (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetPayload()
        {
            return Copy(_payload);
        }

        /// <summary>The signature (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetSignature()
        {
            return Copy(_signature);
        }

        /// <summary>The payload without copying, for the verifier and decoders in this library.</summary>
        internal byte[] Payload
        {
            get { return _payload; }
        }

        /// <summary>The signature without copying.</summary>
        internal byte[] Signature
        {
            get { return _signature; }
        }

        /// <summary>The Sig_structure this message's signature must cover (external_aad empty).</summary>
        /// <returns>Its deterministic encoding.</returns>
        public byte[] BuildToBeSigned()
        {
            return BuildToBeSigned(_protectedHeader, new byte[0], _payload);
        }

        /// <summary>
        /// Parses a tagged COSE_Sign1 that fills all of <paramref name="message"/>, without
        /// verifying anything: use <see cref="CoseSign1Verifier"/> for that.
        /// </summary>
        /// <param name="message">The encoded message.</param>
        /// <returns>The parsed message.</returns>
        /// <exception cref="CoseRejectedException">Always <see cref="CoseRejection.Malformed"/>.</exception>
        public static CoseSign1 Decode(byte[] message)
        {
            if (message == null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            try
            {
                CborReader reader = new CborReader(message, 0, message.Length, CborConformance.Lax);
                if (reader.PeekState() != CborReaderState.Tag || reader.ReadTag() != Tag)
                {
                    throw Malformed("not a COSE_Sign1 tagged 18");
                }

                if (reader.ReadStartArray() != 4)
                {
                    throw Malformed("COSE_Sign1 is an array of 4 items");
                }

                byte[] protectedHeader = reader.ReadByteString();
                HeaderSummary headers = new HeaderSummary();
                if (protectedHeader.Length != 0)
                {
                    CborReader protectedReader = new CborReader(protectedHeader, 0, protectedHeader.Length, CborConformance.Lax);
                    ReadHeaderMap(protectedReader, headers, true);
                    protectedReader.ReadEnd();
                }

                ReadHeaderMap(reader, headers, false);

                if (reader.PeekState() == CborReaderState.Null)
                {
                    throw Malformed("detached payloads are not supported");
                }

                byte[] payload = reader.ReadByteString();
                byte[] signature = reader.ReadByteString();
                reader.ReadEndArray();
                reader.ReadEnd();
                return new CoseSign1(protectedHeader, headers, payload, signature);
            }
            catch (CborException ex)
            {
                throw Malformed(ex.Message);
            }
        }

        /// <summary>
        /// Encodes a protected header map deterministically: {1: alg, ? 3: content type, ? 4: kid}.
        /// </summary>
        /// <param name="algorithm">The alg, for example <see cref="CoseAlgorithms.Ps256"/>.</param>
        /// <param name="contentType">The content type, or an empty string to leave it out.</param>
        /// <param name="keyId">The kid, or an empty array to leave it out.</param>
        /// <returns>The serialized map, to be carried as the protected header's byte string.</returns>
        public static byte[] EncodeProtectedHeader(int algorithm, string contentType, byte[] keyId)
        {
            if (contentType == null)
            {
                throw new ArgumentNullException(nameof(contentType));
            }

            if (keyId == null)
            {
                throw new ArgumentNullException(nameof(keyId));
            }

            int pairs = 1 + (contentType.Length != 0 ? 1 : 0) + (keyId.Length != 0 ? 1 : 0);
            CborWriter writer = new CborWriter(64 + contentType.Length + keyId.Length);
            writer.WriteStartMap(pairs);
            writer.WriteInt32(CoseHeaderLabels.Algorithm);
            writer.WriteInt32(algorithm);
            if (contentType.Length != 0)
            {
                writer.WriteInt32(CoseHeaderLabels.ContentType);
                writer.WriteTextString(contentType);
            }

            if (keyId.Length != 0)
            {
                writer.WriteInt32(CoseHeaderLabels.KeyId);
                writer.WriteByteString(keyId);
            }

            return writer.Encode();
        }

        /// <summary>
        /// Encodes the Sig_structure of RFC 9052 §4.4 for COSE_Sign1:
        /// ["Signature1", body_protected, external_aad, payload]. Sign these bytes with PS256.
        /// </summary>
        /// <param name="protectedHeader">The protected header's serialized map (may be empty).</param>
        /// <param name="externalAad">Externally supplied data; empty in this profile.</param>
        /// <param name="payload">The payload.</param>
        /// <returns>The deterministic encoding.</returns>
        public static byte[] BuildToBeSigned(byte[] protectedHeader, byte[] externalAad, byte[] payload)
        {
            if (protectedHeader == null)
            {
                throw new ArgumentNullException(nameof(protectedHeader));
            }

            if (externalAad == null)
            {
                throw new ArgumentNullException(nameof(externalAad));
            }

            if (payload == null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            CborWriter writer = new CborWriter(32 + protectedHeader.Length + externalAad.Length + payload.Length);
            writer.WriteStartArray(4);
            writer.WriteTextString(SignatureContext);
            writer.WriteByteString(protectedHeader);
            writer.WriteByteString(externalAad);
            writer.WriteByteString(payload);
            return writer.Encode();
        }

        /// <summary>
        /// Assembles a tagged COSE_Sign1 with an empty unprotected header:
        /// 18([protected, {}, payload, signature]).
        /// </summary>
        /// <param name="protectedHeader">The protected header's serialized map.</param>
        /// <param name="payload">The payload.</param>
        /// <param name="signature">The signature over <see cref="BuildToBeSigned(byte[], byte[], byte[])"/>.</param>
        /// <returns>The encoded message.</returns>
        public static byte[] Encode(byte[] protectedHeader, byte[] payload, byte[] signature)
        {
            if (protectedHeader == null)
            {
                throw new ArgumentNullException(nameof(protectedHeader));
            }

            if (payload == null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            if (signature == null)
            {
                throw new ArgumentNullException(nameof(signature));
            }

            CborWriter writer = new CborWriter(32 + protectedHeader.Length + payload.Length + signature.Length);
            writer.WriteTag(Tag);
            writer.WriteStartArray(4);
            writer.WriteByteString(protectedHeader);
            writer.WriteStartMap(0);
            writer.WriteByteString(payload);
            writer.WriteByteString(signature);
            return writer.Encode();
        }

        /// <summary>
        /// Reads one header map (RFC 9052 §3): labels are integers or text strings, each once
        /// across both maps; alg, crit and content type count only when protected.
        /// </summary>
        private static void ReadHeaderMap(CborReader reader, HeaderSummary headers, bool isProtected)
        {
            int pairs = reader.ReadStartMap();
            if (pairs > MaxHeaderParameters)
            {
                throw Malformed("a header map has more than " + MaxHeaderParameters.ToString() + " parameters");
            }

            for (int i = 0; i < pairs; i++)
            {
                CborReaderState labelState = reader.PeekState();
                if (labelState == CborReaderState.TextString)
                {
                    headers.AddTextLabel(reader.ReadTextString());
                    reader.SkipValue();
                    continue;
                }

                if (labelState != CborReaderState.UnsignedInteger && labelState != CborReaderState.NegativeInteger)
                {
                    throw Malformed("a header label is neither an integer nor a text string");
                }

                long label = labelState == CborReaderState.UnsignedInteger ? ReadLabel(reader) : -1 - ReadNegativeLabel(reader);
                headers.AddIntegerLabel(label);
                switch (label)
                {
                    case CoseHeaderLabels.Algorithm:
                        ReadAlgorithm(reader, headers, isProtected);
                        break;
                    case CoseHeaderLabels.Critical:
                        if (!isProtected)
                        {
                            throw Malformed("crit must be in the protected header (RFC 9052 section 3.1)");
                        }

                        if (reader.PeekState() != CborReaderState.StartArray)
                        {
                            throw Malformed("crit is not an array");
                        }

                        reader.SkipValue();
                        headers.HasCritical = true;
                        break;
                    case CoseHeaderLabels.ContentType:
                        ReadContentType(reader, headers, isProtected);
                        break;
                    case CoseHeaderLabels.KeyId:
                        if (reader.PeekState() != CborReaderState.ByteString)
                        {
                            throw Malformed("kid is not a byte string");
                        }

                        byte[] keyId = reader.ReadByteString();
                        if (keyId.Length == 0)
                        {
                            throw Malformed("kid is empty");
                        }

                        // Both buckets cannot hold it (duplicate check above), so at most one assignment.
                        headers.KeyId = keyId;
                        headers.KeyIdIsProtected = isProtected;
                        break;
                    default:
                        // Not understood and not critical: ignored (RFC 9052 §3), but it must be well-formed.
                        reader.SkipValue();
                        break;
                }
            }

            reader.ReadEndMap();
        }

        private static void ReadAlgorithm(CborReader reader, HeaderSummary headers, bool isProtected)
        {
            CborReaderState state = reader.PeekState();
            if (state == CborReaderState.TextString)
            {
                reader.ReadTextString();
                if (isProtected)
                {
                    headers.HasAlgorithm = true;
                    headers.Algorithm = 0;
                }

                return;
            }

            if (state != CborReaderState.UnsignedInteger && state != CborReaderState.NegativeInteger)
            {
                throw Malformed("alg is neither an integer nor a text string");
            }

            long value = state == CborReaderState.UnsignedInteger ? ReadLabel(reader) : -1 - ReadNegativeLabel(reader);
            if (isProtected)
            {
                headers.HasAlgorithm = true;
                headers.Algorithm = value >= int.MinValue && value <= int.MaxValue ? (int)value : 0;
            }
        }

        private static void ReadContentType(CborReader reader, HeaderSummary headers, bool isProtected)
        {
            CborReaderState state = reader.PeekState();
            if (state == CborReaderState.TextString)
            {
                string contentType = reader.ReadTextString();
                if (isProtected)
                {
                    headers.ContentType = contentType;
                }

                return;
            }

            // RFC 9052 §3.1: tstr / uint. A numeric (CoAP Content-Format) type is well-formed
            // but names nothing this profile knows: it stays empty and fails the type check.
            if (state != CborReaderState.UnsignedInteger)
            {
                throw Malformed("content type is neither a text string nor an unsigned integer");
            }

            reader.ReadUInt64();
        }

        /// <summary>An unsigned label or value, saturated at long.MaxValue (such values are only compared, never used).</summary>
        private static long ReadLabel(CborReader reader)
        {
            ulong value = reader.ReadUInt64();
            return value > long.MaxValue ? long.MaxValue : (long)value;
        }

        /// <summary>The argument n of a negative integer -1 - n, saturated like <see cref="ReadLabel"/>.</summary>
        private static long ReadNegativeLabel(CborReader reader)
        {
            ulong value = reader.ReadCborNegativeIntegerRepresentation();
            return value > long.MaxValue - 1 ? long.MaxValue - 1 : (long)value;
        }

        private static CoseRejectedException Malformed(string detail)
        {
            return new CoseRejectedException(CoseRejection.Malformed, detail);
        }

        private static byte[] Copy(byte[] source)
        {
            byte[] copy = new byte[source.Length];
            Array.Copy(source, copy, source.Length);
            return copy;
        }

        /// <summary>What the two header maps said, and every label seen (for the duplicate rule).</summary>
        private sealed class HeaderSummary
        {
            private readonly long[] _integerLabels = new long[2 * MaxHeaderParameters];
            private readonly string[] _textLabels = new string[2 * MaxHeaderParameters];
            private int _integerCount;
            private int _textCount;

            internal bool HasAlgorithm;
            internal int Algorithm;
            internal bool HasCritical;
            internal string ContentType = string.Empty;
            internal byte[] KeyId = new byte[0];
            internal bool KeyIdIsProtected;

            internal void AddIntegerLabel(long label)
            {
                for (int i = 0; i < _integerCount; i++)
                {
                    if (_integerLabels[i] == label)
                    {
                        throw Malformed("header label " + label.ToString() + " appears twice");
                    }
                }

                _integerLabels[_integerCount++] = label;
            }

            internal void AddTextLabel(string label)
            {
                for (int i = 0; i < _textCount; i++)
                {
                    if (_textLabels[i] == label)
                    {
                        throw Malformed("header label \"" + label + "\" appears twice");
                    }
                }

                _textLabels[_textCount++] = label;
            }
        }
    }
}
