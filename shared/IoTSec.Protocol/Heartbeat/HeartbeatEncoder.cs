using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// Encodes a heartbeat: the fields as a deterministic CBOR map (the body), then
    /// <c>[body, HMAC-SHA256(key, "IoTSec heartbeat v1" 0x00 || body)]</c>.
    /// </summary>
    public static class HeartbeatEncoder
    {
        /// <summary>Encodes and MACs a heartbeat with the portable HMAC.</summary>
        /// <param name="fields">The heartbeat's content.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The encoded heartbeat, ready to publish on up/heartbeat.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes, or a field breaks the version-1 rules (the message names it).</exception>
        public static byte[] Encode(HeartbeatFields fields, byte[] key)
        {
            return Encode(fields, key, PortableDigests.Instance);
        }

        /// <summary>Encodes and MACs a heartbeat.</summary>
        /// <param name="fields">The heartbeat's content.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from (a native one on the device, .NET's on the gateway).</param>
        /// <returns>The encoded heartbeat.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes, or a field breaks the version-1 rules.</exception>
        public static byte[] Encode(HeartbeatFields fields, byte[] key, IDigestProvider provider)
        {
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            byte[] body = EncodeBody(fields);
            return MacEnvelope.Seal(HeartbeatFormat.MacPrefix, body, key, provider);
        }

        /// <summary>The body alone: the deterministic CBOR map the MAC covers.</summary>
        /// <param name="fields">The heartbeat's content.</param>
        /// <returns>The encoded map.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="fields"/> is null.</exception>
        /// <exception cref="ArgumentException">A field breaks the version-1 rules.</exception>
        public static byte[] EncodeBody(HeartbeatFields fields)
        {
            if (fields == null)
            {
                throw new ArgumentNullException("fields");
            }

            string problem = fields.Problem();
            if (problem.Length != 0)
            {
                throw new ArgumentException(problem, "fields");
            }

            // Keys 1..12 are one-byte encodings 0x01..0x0c, so writing them in numeric order
            // is the bytewise order RFC 8949 §4.2.1 requires.
            var writer = new CborWriter(256);
            writer.WriteStartMap(HeartbeatFormat.MaxKey);
            writer.WriteUInt64(HeartbeatFormat.KeyVersion);
            writer.WriteUInt64(HeartbeatFormat.Version);
            writer.WriteUInt64(HeartbeatFormat.KeyDeviceId);
            writer.WriteTextString(fields.DeviceId);
            writer.WriteUInt64(HeartbeatFormat.KeySequence);
            writer.WriteUInt64(fields.Sequence);
            writer.WriteUInt64(HeartbeatFormat.KeyBootCount);
            writer.WriteUInt64(fields.BootCount);
            writer.WriteUInt64(HeartbeatFormat.KeyUptime);
            writer.WriteUInt64(fields.UptimeSeconds);
            writer.WriteUInt64(HeartbeatFormat.KeyFirmwareVersion);
            writer.WriteTextString(fields.FirmwareVersion);
            writer.WriteUInt64(HeartbeatFormat.KeyFirmwareDigest);
            writer.WriteByteString(fields.FirmwareDigest);
            writer.WriteUInt64(HeartbeatFormat.KeyActiveSlot);
            writer.WriteUInt64((ulong)fields.ActiveSlot);
            writer.WriteUInt64(HeartbeatFormat.KeyConfigurationDigest);
            writer.WriteByteString(fields.ConfigurationDigest);
            writer.WriteUInt64(HeartbeatFormat.KeyPreviousDigest);
            writer.WriteByteString(fields.PreviousDigest);
            writer.WriteUInt64(HeartbeatFormat.KeyPostureFlags);
            writer.WriteUInt64((uint)fields.PostureFlags);
            writer.WriteUInt64(HeartbeatFormat.KeyLastRefusal);
            writer.WriteUInt64(fields.LastRefusal);
            return writer.Encode();
        }
    }
}
