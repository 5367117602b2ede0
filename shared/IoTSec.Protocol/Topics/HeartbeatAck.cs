using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// The gateway's acknowledgement of one heartbeat, on down/hb-ack:
    /// <c>[body, HMAC-SHA256(heartbeat key, "IoTSec hb-ack v1" 0x00 || body)]</c> with
    /// <c>body = {1: sequence, 2: gateway time (Unix ms), 3: verdict, 4: heartbeat link}</c>
    /// (docs/protocols/topics.md).
    /// </summary>
    /// <remarks>
    /// The gateway time is the device's trusted clock: SNTP is unauthenticated, so a device
    /// sets its clock only from an acknowledgement that verifies under its own heartbeat key
    /// and answers the heartbeat it is waiting for (<see cref="Acknowledges"/>). Naming the
    /// heartbeat by its link, not only its sequence, ties the acknowledgement to exactly one
    /// heartbeat: an old acknowledgement replayed later names a heartbeat that is no longer
    /// outstanding, so it cannot turn the device's clock back.
    /// </remarks>
    public sealed class HeartbeatAck
    {
        /// <summary>Longest encoded acknowledgement accepted; a valid one is at most 99 bytes.</summary>
        public const int MaxEncodedLength = 128;

        /// <summary>The MAC's domain-separation label; on the wire it is these ASCII bytes and one NUL.</summary>
        public const string MacLabel = "IoTSec hb-ack v1";

        private const int KeySequence = 1;
        private const int KeyGatewayTime = 2;
        private const int KeyVerdict = 3;
        private const int KeyLink = 4;

        private static readonly byte[] MacPrefix = MacEnvelope.Label(MacLabel);

        private readonly byte[] _link;

        /// <summary>Creates an acknowledgement.</summary>
        /// <param name="sequence">The acknowledged heartbeat's sequence.</param>
        /// <param name="gatewayTimeUnixMilliseconds">The gateway's clock when it sent this, milliseconds since 1970-01-01T00:00:00Z.</param>
        /// <param name="verdict">What the gateway made of the heartbeat.</param>
        /// <param name="heartbeatLink">The acknowledged heartbeat's link (<see cref="VerifiedHeartbeat.GetLink"/>); copied.</param>
        /// <exception cref="ArgumentNullException"><paramref name="heartbeatLink"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="heartbeatLink"/> is not 32 bytes.</exception>
        public HeartbeatAck(ulong sequence, ulong gatewayTimeUnixMilliseconds, HeartbeatAckVerdict verdict, byte[] heartbeatLink)
        {
            if (heartbeatLink == null)
            {
                throw new ArgumentNullException("heartbeatLink");
            }

            if (heartbeatLink.Length != HeartbeatFormat.DigestLength)
            {
                throw new ArgumentException("a heartbeat link is 32 bytes", "heartbeatLink");
            }

            Sequence = sequence;
            GatewayTimeUnixMilliseconds = gatewayTimeUnixMilliseconds;
            Verdict = verdict;
            _link = (byte[])heartbeatLink.Clone();
        }

        /// <summary>Key 1: the acknowledged heartbeat's sequence.</summary>
        public ulong Sequence { get; }

        /// <summary>Key 2: the gateway's clock, milliseconds since the Unix epoch.</summary>
        public ulong GatewayTimeUnixMilliseconds { get; }

        /// <summary>Key 3: the gateway's verdict; any 32-bit value may arrive.</summary>
        public HeartbeatAckVerdict Verdict { get; }

        /// <summary>Key 4: the acknowledged heartbeat's link.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetHeartbeatLink()
        {
            return (byte[])_link.Clone();
        }

        /// <summary>True when this acknowledges the heartbeat with this sequence and link: the device's check before it takes the time.</summary>
        /// <param name="sequence">The outstanding heartbeat's sequence.</param>
        /// <param name="link">The outstanding heartbeat's link (<see cref="HeartbeatLink.Compute(byte[])"/> of what was sent).</param>
        /// <returns>True when both match.</returns>
        public bool Acknowledges(ulong sequence, byte[] link)
        {
            return link != null && link.Length == _link.Length && sequence == Sequence && ConstantTime.AreEqual(link, _link);
        }

        /// <summary>The acknowledgement verdict that reports a chain verdict.</summary>
        /// <param name="verdict">The chain verifier's verdict.</param>
        /// <returns>The matching acknowledgement verdict.</returns>
        public static HeartbeatAckVerdict VerdictFor(ChainVerdict verdict)
        {
            switch (verdict)
            {
                case ChainVerdict.InOrder: return HeartbeatAckVerdict.Accepted;
                case ChainVerdict.Gap: return HeartbeatAckVerdict.AcceptedAfterGap;
                case ChainVerdict.Replay: return HeartbeatAckVerdict.Duplicate;
                case ChainVerdict.Stale: return HeartbeatAckVerdict.Stale;
                default: return HeartbeatAckVerdict.ChainConflict;
            }
        }

        /// <summary>Encodes and MACs the acknowledgement with the portable HMAC.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The message for down/hb-ack.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key)
        {
            return Encode(key, PortableDigests.Instance);
        }

        /// <summary>Encodes and MACs the acknowledgement.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The message for down/hb-ack.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key, IDigestProvider provider)
        {
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            var writer = new CborWriter(64);
            writer.WriteStartMap(4);
            writer.WriteUInt64(KeySequence);
            writer.WriteUInt64(Sequence);
            writer.WriteUInt64(KeyGatewayTime);
            writer.WriteUInt64(GatewayTimeUnixMilliseconds);
            writer.WriteUInt64(KeyVerdict);
            writer.WriteUInt64((uint)Verdict);
            writer.WriteUInt64(KeyLink);
            writer.WriteByteString(_link);
            return MacEnvelope.Seal(MacPrefix, writer.Encode(), key, provider);
        }

        /// <summary>Verifies and decodes an acknowledgement with the portable HMAC.</summary>
        /// <param name="encoded">The message from down/hb-ack.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The acknowledgement.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public static HeartbeatAck Decode(byte[] encoded, byte[] key)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            return Decode(encoded, 0, encoded.Length, key, PortableDigests.Instance);
        }

        /// <summary>Verifies and decodes an acknowledgement held in part of a buffer.</summary>
        /// <param name="buffer">Holds the message.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The acknowledgement.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
        public static HeartbeatAck Decode(byte[] buffer, int offset, int length, byte[] key, IDigestProvider provider)
        {
            int bodyOffset;
            int bodyLength;
            MessageCodec.Open(TopicKind.HeartbeatAck, buffer, offset, length, MaxEncodedLength, MacPrefix, key, provider, out bodyOffset, out bodyLength);
            try
            {
                FieldMap map = MessageCodec.Fields(TopicKind.HeartbeatAck, buffer, bodyOffset, bodyLength, KeyLink);
                ulong sequence = map.UInt64(KeySequence, "sequence");
                ulong time = map.UInt64(KeyGatewayTime, "gateway time");
                uint verdict = map.UInt32(KeyVerdict, "verdict");
                byte[] link = map.Bytes(KeyLink, "heartbeat link", HeartbeatFormat.DigestLength, HeartbeatFormat.DigestLength);
                return new HeartbeatAck(sequence, time, (HeartbeatAckVerdict)verdict, link);
            }
            catch (FieldException e)
            {
                throw MessageCodec.Rejected(TopicKind.HeartbeatAck, e);
            }
        }
    }
}
