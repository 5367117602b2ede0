using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Rsa;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// The payload of a signed trust-anchor update: a new OTA signing key or a new gateway
    /// root for the device, signed by the current OTA key in the same COSE_Sign1 envelope as
    /// manifests (with its own content type), so keys can be rotated without reprovisioning.
    /// </summary>
    /// <remarks>
    /// <para>CDDL (docs/protocols/ota-manifest.md):</para>
    /// <code>
    /// anchor-update = {
    ///   1 => uint,              ; update sequence: its own anti-replay counter
    ///   2 => 0 / 1,             ; anchor kind: 0 OTA signing key, 1 gateway root
    ///   3 => bstr,              ; the anchor: COSE_Key (kind 0) or DER X.509 certificate (kind 1)
    ///   4 => bstr .size (1..64),; kid of the new anchor
    ///   ? 5 => uint,            ; expiry, unix seconds
    /// }
    /// </code>
    /// <para>
    /// The anchor is validated when decoded: an OTA key must be an acceptable PS256 key
    /// (COSE_Key, RSA 2048 to 4096 bits, e = 65537, its own kid, if any, equal to field 4),
    /// so a device can never be rotated onto a key it cannot verify with; a gateway root must
    /// be one DER SEQUENCE (its X.509 content is checked by the TLS stack that uses it).
    /// </para>
    /// </remarks>
    public sealed class TrustAnchorUpdate
    {
        /// <summary>Value of <see cref="ExpiresAt"/> for an update without expiry.</summary>
        public const long NoExpiry = -1;

        /// <summary>Longest anchor accepted, in bytes (a certificate with a 4096-bit key and a few extensions fits).</summary>
        public const int MaxAnchorLength = 6144;

        private const int KeySequence = 1;
        private const int KeyKind = 2;
        private const int KeyAnchor = 3;
        private const int KeyKeyId = 4;
        private const int KeyExpiry = 5;

        private readonly byte[] _anchor;
        private readonly byte[] _keyId;

        /// <summary>Describes an update (for the release tool and tests); the anchor is validated.</summary>
        /// <param name="sequence">The update sequence number.</param>
        /// <param name="kind">What the anchor replaces.</param>
        /// <param name="anchor">A COSE_Key (<see cref="TrustAnchorKind.OtaSigningKey"/>) or a DER certificate (<see cref="TrustAnchorKind.GatewayRoot"/>); copied.</param>
        /// <param name="keyId">The new anchor's kid, 1 to 64 bytes; copied.</param>
        /// <param name="expiresAt">Unix seconds from which the update is expired, or <see cref="NoExpiry"/>.</param>
        /// <exception cref="ArgumentException">An argument is refused (the message says why).</exception>
        public TrustAnchorUpdate(ulong sequence, TrustAnchorKind kind, byte[] anchor, byte[] keyId, long expiresAt)
        {
            if (anchor == null)
            {
                throw new ArgumentNullException(nameof(anchor));
            }

            if (keyId == null)
            {
                throw new ArgumentNullException(nameof(keyId));
            }

            if (expiresAt < NoExpiry)
            {
                throw new ArgumentOutOfRangeException(nameof(expiresAt));
            }

            try
            {
                Validate(kind, anchor, keyId);
            }
            catch (AnchorUpdateRejectedException ex)
            {
                throw new ArgumentException(ex.Message, nameof(anchor));
            }

            Sequence = sequence;
            Kind = kind;
            _anchor = CopyOf(anchor);
            _keyId = CopyOf(keyId);
            ExpiresAt = expiresAt;
        }

        // For Decode, which has validated the fields already and owns the arrays (the
        // parameter order differs from the public constructor's only to tell them apart).
        private TrustAnchorUpdate(TrustAnchorKind kind, ulong sequence, byte[] anchor, byte[] keyId, long expiresAt)
        {
            Sequence = sequence;
            Kind = kind;
            _anchor = anchor;
            _keyId = keyId;
            ExpiresAt = expiresAt;
        }

        /// <summary>The update sequence number.</summary>
        public ulong Sequence { get; }

        /// <summary>What the anchor replaces.</summary>
        public TrustAnchorKind Kind { get; }

        /// <summary>Unix seconds from which the update is expired, or <see cref="NoExpiry"/>.</summary>
        public long ExpiresAt { get; }

        /// <summary>True when the update carries an expiry.</summary>
        public bool HasExpiry
        {
            get { return ExpiresAt != NoExpiry; }
        }

        /// <summary>The anchor bytes, as the device stores them (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetAnchor()
        {
            return CopyOf(_anchor);
        }

        /// <summary>The new anchor's kid (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetKeyId()
        {
            return CopyOf(_keyId);
        }

        /// <summary>For an OTA signing key update: the new key with its kid, ready for a <see cref="CoseSign1Verifier"/>.</summary>
        /// <returns>The trusted key.</returns>
        /// <exception cref="InvalidOperationException">The update is not of kind <see cref="TrustAnchorKind.OtaSigningKey"/>.</exception>
        public CoseTrustedKey ToTrustedKey()
        {
            if (Kind != TrustAnchorKind.OtaSigningKey)
            {
                throw new InvalidOperationException("only an OTA signing key update carries a COSE key");
            }

            return new CoseTrustedKey(_keyId, RsaCoseKey.Decode(_anchor));
        }

        /// <summary>Encodes the update deterministically: the payload to sign.</summary>
        /// <returns>The CBOR encoding.</returns>
        public byte[] Encode()
        {
            CborWriter writer = new CborWriter(32 + _anchor.Length + _keyId.Length);
            writer.WriteStartMap(HasExpiry ? 5 : 4);
            writer.WriteInt32(KeySequence);
            writer.WriteUInt64(Sequence);
            writer.WriteInt32(KeyKind);
            writer.WriteInt32((int)Kind);
            writer.WriteInt32(KeyAnchor);
            writer.WriteByteString(_anchor);
            writer.WriteInt32(KeyKeyId);
            writer.WriteByteString(_keyId);
            if (HasExpiry)
            {
                writer.WriteInt32(KeyExpiry);
                writer.WriteInt64(ExpiresAt);
            }

            return writer.Encode();
        }

        /// <summary>Decodes an update payload that fills all of <paramref name="payload"/>; checks structure and anchor, not the signature.</summary>
        /// <param name="payload">The deterministic CBOR encoding.</param>
        /// <returns>The update.</returns>
        /// <exception cref="AnchorUpdateRejectedException">
        /// <see cref="AnchorUpdateRejection.Malformed"/>, <see cref="AnchorUpdateRejection.UnsupportedAnchorKind"/>
        /// or <see cref="AnchorUpdateRejection.InvalidAnchor"/>.
        /// </exception>
        public static TrustAnchorUpdate Decode(byte[] payload)
        {
            if (payload == null)
            {
                throw new ArgumentNullException(nameof(payload));
            }

            ulong sequence;
            int kind;
            byte[] anchor;
            byte[] keyId;
            long expiresAt = NoExpiry;
            try
            {
                CborReader reader = new CborReader(payload);
                if (reader.PeekState() != CborReaderState.StartMap)
                {
                    throw Malformed("the update is not a map");
                }

                int pairs = reader.ReadStartMap();
                if (pairs != 4 && pairs != 5)
                {
                    throw Malformed("the update has 4 or 5 fields");
                }

                // Deterministic order: keys 1, 2, 3, 4, then the optional 5.
                ExpectKey(reader, KeySequence);
                sequence = ReadUnsigned(reader, "sequence");
                ExpectKey(reader, KeyKind);
                ulong kindValue = ReadUnsigned(reader, "kind");
                kind = kindValue > 0xFFFF ? 0xFFFF : (int)kindValue;
                ExpectKey(reader, KeyAnchor);
                anchor = ReadBytes(reader, "anchor");
                ExpectKey(reader, KeyKeyId);
                keyId = ReadBytes(reader, "kid");
                if (pairs == 5)
                {
                    ExpectKey(reader, KeyExpiry);
                    ulong expiry = ReadUnsigned(reader, "expiry");
                    if (expiry > long.MaxValue)
                    {
                        throw Malformed("expiry is out of range");
                    }

                    expiresAt = (long)expiry;
                }

                reader.ReadEndMap();
                reader.ReadEnd();
            }
            catch (CborException ex)
            {
                throw Malformed(ex.Message);
            }

            if (kind != (int)TrustAnchorKind.OtaSigningKey && kind != (int)TrustAnchorKind.GatewayRoot)
            {
                throw new AnchorUpdateRejectedException(AnchorUpdateRejection.UnsupportedAnchorKind, "anchor kind " + kind.ToString() + " is not known");
            }

            Validate((TrustAnchorKind)kind, anchor, keyId);
            return new TrustAnchorUpdate((TrustAnchorKind)kind, sequence, anchor, keyId, expiresAt);
        }

        private static void Validate(TrustAnchorKind kind, byte[] anchor, byte[] keyId)
        {
            if (keyId.Length == 0 || keyId.Length > RsaCoseKey.MaxKeyIdLength)
            {
                throw Malformed("kid must have 1 to " + RsaCoseKey.MaxKeyIdLength.ToString() + " bytes");
            }

            if (anchor.Length == 0 || anchor.Length > MaxAnchorLength)
            {
                throw new AnchorUpdateRejectedException(AnchorUpdateRejection.InvalidAnchor, "the anchor must have 1 to " + MaxAnchorLength.ToString() + " bytes");
            }

            if (kind == TrustAnchorKind.OtaSigningKey)
            {
                byte[] embeddedKeyId;
                try
                {
                    RsaCoseKey.Decode(anchor, 0, anchor.Length, out embeddedKeyId);
                }
                catch (RsaKeyException ex)
                {
                    throw new AnchorUpdateRejectedException(AnchorUpdateRejection.InvalidAnchor, ex.Message);
                }

                if (embeddedKeyId.Length != 0 && !SameBytes(embeddedKeyId, keyId))
                {
                    throw new AnchorUpdateRejectedException(AnchorUpdateRejection.InvalidAnchor, "the COSE_Key's own kid differs from the update's kid");
                }
            }
            else if (kind == TrustAnchorKind.GatewayRoot)
            {
                if (!IsSingleDerSequence(anchor))
                {
                    throw new AnchorUpdateRejectedException(AnchorUpdateRejection.InvalidAnchor, "a gateway root must be one DER SEQUENCE (an X.509 certificate)");
                }
            }
            else
            {
                throw new AnchorUpdateRejectedException(AnchorUpdateRejection.UnsupportedAnchorKind, "anchor kind " + ((int)kind).ToString() + " is not known");
            }
        }

        /// <summary>True when <paramref name="der"/> is exactly one SEQUENCE with a definite, shortest-form length.</summary>
        private static bool IsSingleDerSequence(byte[] der)
        {
            if (der.Length < 2 || der[0] != 0x30)
            {
                return false;
            }

            int first = der[1];
            int headerLength;
            int length;
            if (first < 0x80)
            {
                headerLength = 2;
                length = first;
            }
            else if (first == 0x81 && der.Length >= 3 && der[2] >= 0x80)
            {
                headerLength = 3;
                length = der[2];
            }
            else if (first == 0x82 && der.Length >= 4 && der[2] != 0)
            {
                headerLength = 4;
                length = (der[2] << 8) | der[3];
            }
            else
            {
                return false;
            }

            return der.Length - headerLength == length;
        }

        private static void ExpectKey(CborReader reader, int key)
        {
            if (reader.PeekState() != CborReaderState.UnsignedInteger || reader.ReadUInt64() != (ulong)key)
            {
                throw Malformed("field " + key.ToString() + " expected here");
            }
        }

        private static ulong ReadUnsigned(CborReader reader, string field)
        {
            if (reader.PeekState() != CborReaderState.UnsignedInteger)
            {
                throw Malformed(field + " is not an unsigned integer");
            }

            return reader.ReadUInt64();
        }

        private static byte[] ReadBytes(CborReader reader, string field)
        {
            if (reader.PeekState() != CborReaderState.ByteString)
            {
                throw Malformed(field + " is not a byte string");
            }

            return reader.ReadByteString();
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] CopyOf(byte[] source)
        {
            byte[] copy = new byte[source.Length];
            Array.Copy(source, copy, source.Length);
            return copy;
        }

        private static AnchorUpdateRejectedException Malformed(string detail)
        {
            return new AnchorUpdateRejectedException(AnchorUpdateRejection.Malformed, detail);
        }
    }
}
