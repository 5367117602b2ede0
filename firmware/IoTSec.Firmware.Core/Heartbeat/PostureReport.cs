using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// The full posture report a device publishes on <c>up/posture</c> (docs/firmware/heartbeats-and-commands.md):
    /// everything the heartbeat summarises, plus what it leaves out (board, hardware id, the
    /// key ids of the trust anchors the device holds), as deterministic CBOR.
    /// </summary>
    /// <remarks>
    /// <code>
    /// posture-report = {
    ///   1 => 1,                 ; report version
    ///   2 => tstr,              ; device id
    ///   3 => tstr,              ; board name
    ///   4 => bstr,              ; hardware id
    ///   5 => tstr,              ; firmware version
    ///   6 => bstr .size 32,     ; firmware digest
    ///   7 => 0 / 1,             ; active slot
    ///   8 => bstr .size 32,     ; configuration digest
    ///   9 => uint .size 4,      ; posture flags, without ClockUnsynchronised
    ///   10 => uint .size 4,     ; last refusal code
    ///   11 => [* bstr],         ; key ids of the trust anchors held, in order
    /// }
    /// </code>
    /// Nothing in it changes by itself (no uptime, sequence or boot count, and not the
    /// per-boot ClockUnsynchronised flag), so its SHA-256 changes exactly when the posture
    /// does: that is what delta reporting compares.
    /// </remarks>
    public sealed class PostureReport
    {
        /// <summary>Version of the report (key 1).</summary>
        public const int Version = 1;

        /// <summary>Creates an empty report (fill the properties, then <see cref="Encode"/>).</summary>
        public PostureReport()
        {
            DeviceId = string.Empty;
            BoardName = string.Empty;
            HardwareId = new byte[0];
            FirmwareVersion = string.Empty;
            FirmwareDigest = new byte[HeartbeatFormat.DigestLength];
            ConfigurationDigest = new byte[HeartbeatFormat.DigestLength];
            TrustAnchorKeyIds = new byte[0][];
        }

        /// <summary>Key 2.</summary>
        public string DeviceId { get; set; }

        /// <summary>Key 3.</summary>
        public string BoardName { get; set; }

        /// <summary>Key 4.</summary>
        public byte[] HardwareId { get; set; }

        /// <summary>Key 5.</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Key 6.</summary>
        public byte[] FirmwareDigest { get; set; }

        /// <summary>Key 7.</summary>
        public FirmwareSlot ActiveSlot { get; set; }

        /// <summary>Key 8.</summary>
        public byte[] ConfigurationDigest { get; set; }

        /// <summary>Key 9 (ClockUnsynchronised is masked out when encoding).</summary>
        public PostureFlags PostureFlags { get; set; }

        /// <summary>Key 10.</summary>
        public uint LastRefusal { get; set; }

        /// <summary>Key 11.</summary>
        public byte[][] TrustAnchorKeyIds { get; set; }

        /// <summary>Encodes the report (deterministic CBOR: keys 1-11 in order, shortest heads).</summary>
        /// <returns>The report bytes.</returns>
        public byte[] Encode()
        {
            if (DeviceId == null || FirmwareVersion == null || BoardName == null || HardwareId == null || FirmwareDigest == null || ConfigurationDigest == null || TrustAnchorKeyIds == null)
            {
                throw new InvalidOperationException("a posture report field is null");
            }

            var writer = new CborWriter(256);
            writer.WriteStartMap(11);
            writer.WriteUInt64(1);
            writer.WriteUInt64(Version);
            writer.WriteUInt64(2);
            writer.WriteTextString(DeviceId);
            writer.WriteUInt64(3);
            writer.WriteTextString(BoardName);
            writer.WriteUInt64(4);
            writer.WriteByteString(HardwareId);
            writer.WriteUInt64(5);
            writer.WriteTextString(FirmwareVersion);
            writer.WriteUInt64(6);
            writer.WriteByteString(FirmwareDigest);
            writer.WriteUInt64(7);
            writer.WriteUInt64((ulong)ActiveSlot);
            writer.WriteUInt64(8);
            writer.WriteByteString(ConfigurationDigest);
            writer.WriteUInt64(9);
            writer.WriteUInt64((uint)PostureFlags & ~(uint)PostureFlags.ClockUnsynchronised);
            writer.WriteUInt64(10);
            writer.WriteUInt64(LastRefusal);
            writer.WriteUInt64(11);
            writer.WriteStartArray(TrustAnchorKeyIds.Length);
            for (int i = 0; i < TrustAnchorKeyIds.Length; i++)
            {
                writer.WriteByteString(TrustAnchorKeyIds[i]);
            }

            return writer.Encode();
        }
    }
}
