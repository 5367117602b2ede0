using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The envelope shared by the heartbeat and every downlink message:
    /// <c>[ body: bstr, mac: bstr .size 32 ]</c> with
    /// <c>mac = HMAC-SHA256(key, prefix || body)</c>, where the prefix is an ASCII label ending
    /// in a NUL byte that names the message type and version.
    /// </summary>
    /// <remarks>
    /// Why not COSE_Mac0 (RFC 9052 §6.2): it needs a protected header, a MAC_structure and
    /// an algorithm identifier for one fixed algorithm; the device pays for each byte it
    /// parses in an interpreter. The domain-separation prefix does the job of the
    /// MAC_structure's context string: a MAC made for one message type never verifies as
    /// another, although all share the device's heartbeat key. The NUL ends every label, so no
    /// label is a prefix of another ("... v1" against "... v10").
    /// </remarks>
    internal static class MacEnvelope
    {
        internal const int MacLength = HmacSha256.MacLength;

        internal const int Ok = 0;
        internal const int Malformed = 1;
        internal const int TooLarge = 2;
        internal const int BadMac = 3;

        /// <summary>An ASCII label followed by one NUL byte.</summary>
        internal static byte[] Label(string ascii)
        {
            var bytes = new byte[ascii.Length + 1];
            for (int i = 0; i < ascii.Length; i++)
            {
                bytes[i] = (byte)ascii[i];
            }

            return bytes;
        }

        /// <summary>Throws unless <paramref name="key"/> is a 32-byte key.</summary>
        internal static void CheckKey(byte[] key)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            if (key.Length != MacLength)
            {
                throw new ArgumentException("a heartbeat key is 32 bytes, got " + key.Length.ToString(), "key");
            }
        }

        /// <summary>Throws unless the range lies inside <paramref name="buffer"/>.</summary>
        internal static void CheckRange(byte[] buffer, int offset, int length)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                throw new ArgumentOutOfRangeException("offset", "the range lies outside the buffer");
            }
        }

        /// <summary>HMAC-SHA256(key, prefix || body).</summary>
        internal static byte[] ComputeMac(byte[] prefix, byte[] body, int bodyOffset, int bodyLength, byte[] key, IDigestProvider provider)
        {
            // The provider's HMAC is one-shot over one array (the device's native API is), so
            // the prefix and the body are joined first; both are small.
            var input = new byte[prefix.Length + bodyLength];
            Array.Copy(prefix, 0, input, 0, prefix.Length);
            Array.Copy(body, bodyOffset, input, prefix.Length, bodyLength);
            var mac = new byte[MacLength];
            provider.ComputeHmacSha256(key, input, 0, input.Length, mac, 0);
            return mac;
        }

        /// <summary>Encodes <c>[body, mac]</c>.</summary>
        internal static byte[] Seal(byte[] prefix, byte[] body, byte[] key, IDigestProvider provider)
        {
            byte[] mac = ComputeMac(prefix, body, 0, body.Length, key, provider);
            var writer = new CborWriter(body.Length + MacLength + 8);
            writer.WriteStartArray(2);
            writer.WriteByteString(body);
            writer.WriteByteString(mac);
            return writer.Encode();
        }

        /// <summary>
        /// Checks the envelope's shape and its MAC, in that order, and gives where the body
        /// lies. The body is not parsed: nothing unauthenticated is interpreted beyond the
        /// two byte-string heads.
        /// </summary>
        /// <returns><see cref="Ok"/>, <see cref="Malformed"/>, <see cref="TooLarge"/> or <see cref="BadMac"/>; <paramref name="detail"/> explains.</returns>
        internal static int Open(byte[] buffer, int offset, int length, int maxLength, byte[] prefix, byte[] key, IDigestProvider provider, out int bodyOffset, out int bodyLength, out string detail)
        {
            bodyOffset = 0;
            bodyLength = 0;
            if (length > maxLength)
            {
                detail = "message of " + length.ToString() + " bytes exceeds the limit of " + maxLength.ToString();
                return TooLarge;
            }

            int macOffset;
            int macLength;
            try
            {
                var reader = new CborReader(buffer, offset, length);
                if (reader.PeekState() != CborReaderState.StartArray || reader.ReadStartArray() != 2)
                {
                    detail = "envelope is not an array of two items";
                    return Malformed;
                }

                if (reader.PeekState() != CborReaderState.ByteString)
                {
                    detail = "envelope body is not a byte string";
                    return Malformed;
                }

                reader.ReadByteStringSegment(out bodyOffset, out bodyLength);
                if (reader.PeekState() != CborReaderState.ByteString)
                {
                    detail = "envelope MAC is not a byte string";
                    return Malformed;
                }

                reader.ReadByteStringSegment(out macOffset, out macLength);
                reader.ReadEndArray();
                reader.ReadEnd();
            }
            catch (CborException e)
            {
                detail = "envelope is not valid deterministic CBOR: " + e.Message;
                return Malformed;
            }

            if (macLength != MacLength)
            {
                detail = "MAC has " + macLength.ToString() + " bytes, 32 expected";
                return Malformed;
            }

            byte[] expected = ComputeMac(prefix, buffer, bodyOffset, bodyLength, key, provider);
            if (!ConstantTime.AreEqual(expected, 0, buffer, macOffset, MacLength))
            {
                detail = "MAC does not verify under this key";
                return BadMac;
            }

            detail = string.Empty;
            return Ok;
        }
    }
}
