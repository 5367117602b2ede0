using System;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// Verifies and decodes a heartbeat: size, envelope, MAC (constant-time), then the body.
    /// Every refusal is a <see cref="HeartbeatRejectedException"/>; no other exception escapes
    /// for any input bytes.
    /// </summary>
    public static class HeartbeatDecoder
    {
        // Indexed by body key, for messages.
        private static readonly string[] FieldNames =
        {
            string.Empty, "version", "device id", "sequence", "boot count", "uptime", "firmware version",
            "firmware digest", "active slot", "configuration digest", "previous digest", "posture flags", "last refusal",
        };

        /// <summary>Verifies and decodes a heartbeat with the portable digests.</summary>
        /// <param name="encoded">The heartbeat as received.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The fields and the heartbeat's chain link.</returns>
        /// <exception cref="HeartbeatRejectedException">The heartbeat is refused; see <see cref="HeartbeatRejection"/>.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="encoded"/> or <paramref name="key"/> is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public static VerifiedHeartbeat Decode(byte[] encoded, byte[] key)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            return Decode(encoded, 0, encoded.Length, key, string.Empty, PortableDigests.Instance);
        }

        /// <summary>Verifies and decodes a heartbeat that must come from <paramref name="expectedDeviceId"/>.</summary>
        /// <param name="encoded">The heartbeat as received.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="expectedDeviceId">The device the heartbeat must name (the topic's, the TLS client's).</param>
        /// <returns>The fields and the heartbeat's chain link.</returns>
        /// <exception cref="HeartbeatRejectedException">Refused, including <see cref="HeartbeatRejection.DeviceIdMismatch"/>.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="encoded"/> or <paramref name="key"/> is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public static VerifiedHeartbeat Decode(byte[] encoded, byte[] key, string expectedDeviceId)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            return Decode(encoded, 0, encoded.Length, key, expectedDeviceId, PortableDigests.Instance);
        }

        /// <summary>Verifies and decodes a heartbeat held in part of a buffer.</summary>
        /// <param name="buffer">Holds the heartbeat.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="expectedDeviceId">The device the heartbeat must name; null or empty to skip the check.</param>
        /// <param name="provider">Where SHA-256 and HMAC-SHA256 come from.</param>
        /// <returns>The fields and the heartbeat's chain link.</returns>
        /// <exception cref="HeartbeatRejectedException">The heartbeat is refused.</exception>
        /// <exception cref="ArgumentNullException">The buffer, key or provider is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
        public static VerifiedHeartbeat Decode(byte[] buffer, int offset, int length, byte[] key, string expectedDeviceId, IDigestProvider provider)
        {
            MacEnvelope.CheckRange(buffer, offset, length);
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            int bodyOffset;
            int bodyLength;
            string detail;
            int status = MacEnvelope.Open(buffer, offset, length, HeartbeatFormat.MaxEncodedLength, HeartbeatFormat.MacPrefix, key, provider, out bodyOffset, out bodyLength, out detail);
            if (status != MacEnvelope.Ok)
            {
                HeartbeatRejection reason = status == MacEnvelope.TooLarge ? HeartbeatRejection.TooLarge
                    : status == MacEnvelope.BadMac ? HeartbeatRejection.BadMac
                    : HeartbeatRejection.Malformed;
                throw new HeartbeatRejectedException(reason, detail);
            }

            HeartbeatFields fields = ParseBody(buffer, bodyOffset, bodyLength);
            if (expectedDeviceId != null && expectedDeviceId.Length != 0 && !string.Equals(fields.DeviceId, expectedDeviceId))
            {
                throw new HeartbeatRejectedException(HeartbeatRejection.DeviceIdMismatch, "heartbeat names device \"" + fields.DeviceId + "\", expected " + Topics.DeviceId.Describe(expectedDeviceId));
            }

            return new VerifiedHeartbeat(fields, HeartbeatLink.Compute(buffer, offset, length, provider));
        }

        /// <summary>
        /// Parses a heartbeat body (the map inside the envelope) WITHOUT any authentication.
        /// <see cref="Decode(byte[], byte[])"/> calls it after the MAC check; on its own it
        /// serves diagnostics and fuzzing, never a trust decision.
        /// </summary>
        /// <param name="buffer">Holds the body.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <returns>The fields.</returns>
        /// <exception cref="HeartbeatRejectedException">
        /// <see cref="HeartbeatRejection.Malformed"/>, <see cref="HeartbeatRejection.UnknownVersion"/>,
        /// <see cref="HeartbeatRejection.FieldMissing"/>, <see cref="HeartbeatRejection.FieldInvalid"/>
        /// or <see cref="HeartbeatRejection.UnknownField"/>.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
        public static HeartbeatFields ParseBody(byte[] buffer, int offset, int length)
        {
            MacEnvelope.CheckRange(buffer, offset, length);
            try
            {
                FieldMap map = FieldMap.Parse(buffer, offset, length, HeartbeatFormat.MaxKey, "heartbeat body");

                // The version comes first: a later version may give other keys other meanings,
                // so nothing else is judged under version-1 rules until it is known to be 1.
                if (!map.Has(HeartbeatFormat.KeyVersion))
                {
                    throw new HeartbeatRejectedException(HeartbeatRejection.FieldMissing, "version (key 1) is missing");
                }

                if (!IsVersionOne(map))
                {
                    throw new HeartbeatRejectedException(HeartbeatRejection.UnknownVersion, "version (key 1) is not " + HeartbeatFormat.Version.ToString());
                }

                if (map.UnknownKey.Length != 0)
                {
                    throw new HeartbeatRejectedException(HeartbeatRejection.UnknownField, "key " + map.UnknownKey + " is not defined in version 1");
                }

                for (int key = 1; key <= HeartbeatFormat.MaxKey; key++)
                {
                    map.Require(key, FieldNames[key]);
                }

                var fields = new HeartbeatFields();
                fields.DeviceId = map.Text(HeartbeatFormat.KeyDeviceId, "device id", 1, Topics.DeviceId.MaxLength);
                fields.Sequence = map.UInt64(HeartbeatFormat.KeySequence, "sequence");
                fields.BootCount = map.UInt32(HeartbeatFormat.KeyBootCount, "boot count");
                fields.UptimeSeconds = map.UInt32(HeartbeatFormat.KeyUptime, "uptime");
                fields.FirmwareVersion = map.Text(HeartbeatFormat.KeyFirmwareVersion, "firmware version", 1, HeartbeatFormat.MaxFirmwareVersionLength);
                fields.FirmwareDigest = map.Bytes(HeartbeatFormat.KeyFirmwareDigest, "firmware digest", HeartbeatFormat.DigestLength, HeartbeatFormat.DigestLength);
                uint slot = map.UInt32(HeartbeatFormat.KeyActiveSlot, "active slot");
                if (slot > 1)
                {
                    throw FieldMap.Invalid(HeartbeatFormat.KeyActiveSlot, "active slot", "is " + slot.ToString() + ", not 0 (A) or 1 (B)");
                }

                fields.ActiveSlot = (FirmwareSlot)slot;
                fields.ConfigurationDigest = map.Bytes(HeartbeatFormat.KeyConfigurationDigest, "configuration digest", HeartbeatFormat.DigestLength, HeartbeatFormat.DigestLength);
                fields.PreviousDigest = map.Bytes(HeartbeatFormat.KeyPreviousDigest, "previous digest", HeartbeatFormat.DigestLength, HeartbeatFormat.DigestLength);
                fields.PostureFlags = (PostureFlags)map.UInt32(HeartbeatFormat.KeyPostureFlags, "posture flags");
                fields.LastRefusal = map.UInt32(HeartbeatFormat.KeyLastRefusal, "last refusal");

                string problem = fields.Problem();
                if (problem.Length != 0)
                {
                    throw new HeartbeatRejectedException(HeartbeatRejection.FieldInvalid, problem);
                }

                return fields;
            }
            catch (FieldException e)
            {
                throw new HeartbeatRejectedException(Map(e.Problem), e.Message);
            }
        }

        private static bool IsVersionOne(FieldMap map)
        {
            try
            {
                return map.UInt64(HeartbeatFormat.KeyVersion, "version") == HeartbeatFormat.Version;
            }
            catch (FieldException)
            {
                // A version that is not even an unsigned integer is not version 1.
                return false;
            }
        }

        private static HeartbeatRejection Map(FieldProblem problem)
        {
            switch (problem)
            {
                case FieldProblem.Missing: return HeartbeatRejection.FieldMissing;
                case FieldProblem.Invalid: return HeartbeatRejection.FieldInvalid;
                case FieldProblem.Unknown: return HeartbeatRejection.UnknownField;
                default: return HeartbeatRejection.Malformed;
            }
        }
    }
}
