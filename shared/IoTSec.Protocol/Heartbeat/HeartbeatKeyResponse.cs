using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The gateway's answer to a heartbeat key request:
    /// <c>{1: key bstr .size 32, 2: key id bstr .size 8, 3: certificate serial bstr, 4: not-after uint}</c>
    /// (docs/protocols/heartbeat-key.md). It travels only inside the mutual-TLS session that
    /// authenticated the device, so it carries no MAC of its own.
    /// </summary>
    public sealed class HeartbeatKeyResponse
    {
        /// <summary>Longest response accepted; a valid one is at most 78 bytes.</summary>
        public const int MaxEncodedLength = 128;

        private const int KeyKey = 1;
        private const int KeyKeyId = 2;
        private const int KeySerial = 3;
        private const int KeyNotAfter = 4;

        private readonly byte[] _key;
        private readonly byte[] _keyId;
        private readonly byte[] _serial;

        /// <summary>Creates a response; the key id is computed from the key.</summary>
        /// <param name="key">The device's heartbeat key (32 bytes, from <see cref="HeartbeatKeyDerivation"/>); copied.</param>
        /// <param name="certificateSerial">The serial of the certificate the device presented (the salt of the derivation); copied.</param>
        /// <param name="notAfterUnixSeconds">The certificate's notAfter, in seconds since 1970-01-01T00:00:00Z: the key epoch ends with the certificate.</param>
        /// <exception cref="ArgumentNullException">An array is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes or is all zero, or the serial is invalid.</exception>
        public HeartbeatKeyResponse(byte[] key, byte[] certificateSerial, ulong notAfterUnixSeconds)
        {
            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            if (key.Length != HeartbeatKeyDerivation.KeyLength || HeartbeatLink.IsGenesis(key))
            {
                throw new ArgumentException("a heartbeat key is 32 bytes, not all zero", "key");
            }

            string problem = HeartbeatKeyDerivation.SerialProblem(certificateSerial);
            if (problem.Length != 0)
            {
                throw new ArgumentException(problem, "certificateSerial");
            }

            _key = (byte[])key.Clone();
            _keyId = HeartbeatKeyDerivation.ComputeKeyId(key);
            _serial = (byte[])certificateSerial.Clone();
            NotAfterUnixSeconds = notAfterUnixSeconds;
        }

        /// <summary>The certificate's notAfter, seconds since the Unix epoch.</summary>
        public ulong NotAfterUnixSeconds { get; }

        /// <summary>The heartbeat key.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetKey()
        {
            return (byte[])_key.Clone();
        }

        /// <summary>The key id: the first 8 bytes of SHA-256(key).</summary>
        /// <returns>A copy of the 8 bytes.</returns>
        public byte[] GetKeyId()
        {
            return (byte[])_keyId.Clone();
        }

        /// <summary>The certificate serial the key was derived for.</summary>
        /// <returns>A copy of its bytes.</returns>
        public byte[] GetCertificateSerial()
        {
            return (byte[])_serial.Clone();
        }

        /// <summary>Encodes the response as deterministic CBOR.</summary>
        /// <returns>The response body.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(96);
            writer.WriteStartMap(4);
            writer.WriteUInt64(KeyKey);
            writer.WriteByteString(_key);
            writer.WriteUInt64(KeyKeyId);
            writer.WriteByteString(_keyId);
            writer.WriteUInt64(KeySerial);
            writer.WriteByteString(_serial);
            writer.WriteUInt64(KeyNotAfter);
            writer.WriteUInt64(NotAfterUnixSeconds);
            return writer.Encode();
        }

        /// <summary>Decodes and checks a response.</summary>
        /// <param name="encoded">The HTTP response body.</param>
        /// <returns>The response.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="encoded"/> is null.</exception>
        /// <exception cref="HeartbeatKeyRejectedException">The response is refused; see <see cref="HeartbeatKeyRejection"/>.</exception>
        public static HeartbeatKeyResponse Decode(byte[] encoded)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            if (encoded.Length > MaxEncodedLength)
            {
                throw new HeartbeatKeyRejectedException(HeartbeatKeyRejection.TooLarge, "response of " + encoded.Length.ToString() + " bytes exceeds " + MaxEncodedLength.ToString());
            }

            try
            {
                FieldMap map = FieldMap.Parse(encoded, 0, encoded.Length, KeyNotAfter, "heartbeat key response");
                if (map.UnknownKey.Length != 0)
                {
                    throw new HeartbeatKeyRejectedException(HeartbeatKeyRejection.UnknownField, "key " + map.UnknownKey + " is not defined");
                }

                byte[] key = map.Bytes(KeyKey, "key", HeartbeatKeyDerivation.KeyLength, HeartbeatKeyDerivation.KeyLength);
                if (HeartbeatLink.IsGenesis(key))
                {
                    throw FieldMap.Invalid(KeyKey, "key", "is all zero");
                }

                byte[] keyId = map.Bytes(KeyKeyId, "key id", HeartbeatKeyDerivation.KeyIdLength, HeartbeatKeyDerivation.KeyIdLength);
                byte[] serial = map.Bytes(KeySerial, "certificate serial", 1, HeartbeatKeyDerivation.MaxSerialLength);
                string problem = HeartbeatKeyDerivation.SerialProblem(serial);
                if (problem.Length != 0)
                {
                    throw FieldMap.Invalid(KeySerial, "certificate serial", problem);
                }

                ulong notAfter = map.UInt64(KeyNotAfter, "not-after");
                var response = new HeartbeatKeyResponse(key, serial, notAfter);
                if (!ConstantTime.AreEqual(keyId, response._keyId))
                {
                    throw new HeartbeatKeyRejectedException(HeartbeatKeyRejection.KeyIdMismatch, "key id (key 2) is not the first 8 bytes of SHA-256(key)");
                }

                return response;
            }
            catch (FieldException e)
            {
                HeartbeatKeyRejection reason = e.Problem == FieldProblem.Missing ? HeartbeatKeyRejection.FieldMissing
                    : e.Problem == FieldProblem.Invalid ? HeartbeatKeyRejection.FieldInvalid
                    : e.Problem == FieldProblem.Unknown ? HeartbeatKeyRejection.UnknownField
                    : HeartbeatKeyRejection.Malformed;
                throw new HeartbeatKeyRejectedException(reason, e.Message);
            }
        }

        /// <summary>Decodes and checks a response, which must be for the certificate the device presented.</summary>
        /// <param name="encoded">The HTTP response body.</param>
        /// <param name="expectedSerial">The serial of the device's own current certificate.</param>
        /// <returns>The response.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="HeartbeatKeyRejectedException">Refused, including <see cref="HeartbeatKeyRejection.SerialMismatch"/>.</exception>
        public static HeartbeatKeyResponse Decode(byte[] encoded, byte[] expectedSerial)
        {
            if (expectedSerial == null)
            {
                throw new ArgumentNullException("expectedSerial");
            }

            HeartbeatKeyResponse response = Decode(encoded);
            if (!ConstantTime.AreEqual(response._serial, expectedSerial))
            {
                throw new HeartbeatKeyRejectedException(HeartbeatKeyRejection.SerialMismatch, "the key was derived for another certificate serial than the device's own");
            }

            return response;
        }
    }
}
