using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// An OTA offer from the gateway, on down/ota:
    /// <c>[body, HMAC-SHA256(heartbeat key, "IoTSec ota-offer v1" 0x00 || body)]</c> with
    /// <c>body = {1: rollout id, 2: manifest path, 3: manifest digest}</c>
    /// (docs/protocols/topics.md). Opaque to the manifest format: it only says where to fetch
    /// the signed manifest and what its bytes hash to.
    /// </summary>
    /// <remarks>
    /// The offer carries a path, never a host: the device fetches it from the gateway it
    /// enrolled with, on the OTA port, over mutual TLS, so an offer cannot send the device
    /// elsewhere. The manifest's own signature (COSE_Sign1) is what authorises an update;
    /// the offer's digest lets the device refuse a substituted manifest before parsing it.
    /// </remarks>
    public sealed class OtaOffer
    {
        /// <summary>Longest encoded offer accepted; a valid one is at most 401 bytes.</summary>
        public const int MaxEncodedLength = 512;

        /// <summary>Longest manifest path, in characters.</summary>
        public const int MaxPathLength = 256;

        /// <summary>The MAC's domain-separation label; on the wire it is these ASCII bytes and one NUL.</summary>
        public const string MacLabel = "IoTSec ota-offer v1";

        private const int KeyRolloutId = 1;
        private const int KeyPath = 2;
        private const int KeyDigest = 3;

        private static readonly byte[] MacPrefix = MacEnvelope.Label(MacLabel);

        private readonly byte[] _digest;

        /// <summary>Creates an offer.</summary>
        /// <param name="rolloutId">The rollout (release wave) id: 1-64 characters of [A-Za-z0-9._-], first a letter or digit (the <see cref="DeviceId"/> rule).</param>
        /// <param name="manifestPath">The manifest's path on the gateway's OTA port (see <see cref="IsValidManifestPath"/>).</param>
        /// <param name="manifestDigest">SHA-256 of the manifest's bytes as served (32 bytes); copied.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
        public OtaOffer(string rolloutId, string manifestPath, byte[] manifestDigest)
        {
            if (manifestDigest == null)
            {
                throw new ArgumentNullException("manifestDigest");
            }

            string problem = Problem(rolloutId, manifestPath, manifestDigest);
            if (problem.Length != 0)
            {
                throw new ArgumentException(problem);
            }

            RolloutId = rolloutId;
            ManifestPath = manifestPath;
            _digest = (byte[])manifestDigest.Clone();
        }

        /// <summary>Key 1: the rollout id, reported back in alerts and logs.</summary>
        public string RolloutId { get; }

        /// <summary>Key 2: the manifest's path on the gateway's OTA port.</summary>
        public string ManifestPath { get; }

        /// <summary>Key 3: SHA-256 of the manifest's bytes.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetManifestDigest()
        {
            return (byte[])_digest.Clone();
        }

        /// <summary>
        /// True for an absolute path of 1-256 characters made of segments of
        /// <c>[A-Za-z0-9._~-]</c> (RFC 3986 unreserved characters) separated by single '/': no
        /// empty, "." or ".." segment, no trailing '/', no percent-encoding, query or fragment.
        /// Such a path means the same thing to every HTTP server and file system it may reach.
        /// </summary>
        /// <param name="path">The candidate.</param>
        /// <returns>True when valid.</returns>
        public static bool IsValidManifestPath(string path)
        {
            if (path == null || path.Length < 2 || path.Length > MaxPathLength || path[0] != '/')
            {
                return false;
            }

            int segmentStart = 1;
            for (int i = 1; i <= path.Length; i++)
            {
                if (i == path.Length || path[i] == '/')
                {
                    int length = i - segmentStart;
                    if (length == 0)
                    {
                        return false;
                    }

                    if (path[segmentStart] == '.' && (length == 1 || (length == 2 && path[segmentStart + 1] == '.')))
                    {
                        return false;
                    }

                    segmentStart = i + 1;
                    continue;
                }

                char c = path[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Encodes and MACs the offer with the portable HMAC.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The message for down/ota.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key)
        {
            return Encode(key, PortableDigests.Instance);
        }

        /// <summary>Encodes and MACs the offer.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The message for down/ota.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key, IDigestProvider provider)
        {
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            var writer = new CborWriter(64 + ManifestPath.Length + RolloutId.Length);
            writer.WriteStartMap(3);
            writer.WriteUInt64(KeyRolloutId);
            writer.WriteTextString(RolloutId);
            writer.WriteUInt64(KeyPath);
            writer.WriteTextString(ManifestPath);
            writer.WriteUInt64(KeyDigest);
            writer.WriteByteString(_digest);
            return MacEnvelope.Seal(MacPrefix, writer.Encode(), key, provider);
        }

        /// <summary>Verifies and decodes an offer with the portable HMAC.</summary>
        /// <param name="encoded">The message from down/ota.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The offer.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public static OtaOffer Decode(byte[] encoded, byte[] key)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            return Decode(encoded, 0, encoded.Length, key, PortableDigests.Instance);
        }

        /// <summary>Verifies and decodes an offer held in part of a buffer.</summary>
        /// <param name="buffer">Holds the message.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The offer.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
        public static OtaOffer Decode(byte[] buffer, int offset, int length, byte[] key, IDigestProvider provider)
        {
            int bodyOffset;
            int bodyLength;
            MessageCodec.Open(TopicKind.OtaOffer, buffer, offset, length, MaxEncodedLength, MacPrefix, key, provider, out bodyOffset, out bodyLength);
            try
            {
                FieldMap map = MessageCodec.Fields(TopicKind.OtaOffer, buffer, bodyOffset, bodyLength, KeyDigest);
                string rolloutId = map.Text(KeyRolloutId, "rollout id", 1, DeviceId.MaxLength);
                string path = map.Text(KeyPath, "manifest path", 1, MaxPathLength);
                byte[] digest = map.Bytes(KeyDigest, "manifest digest", HeartbeatFormat.DigestLength, HeartbeatFormat.DigestLength);
                string problem = Problem(rolloutId, path, digest);
                if (problem.Length != 0)
                {
                    throw new MessageRejectedException(TopicKind.OtaOffer, MessageRejection.FieldInvalid, problem);
                }

                return new OtaOffer(rolloutId, path, digest);
            }
            catch (FieldException e)
            {
                throw MessageCodec.Rejected(TopicKind.OtaOffer, e);
            }
        }

        private static string Problem(string rolloutId, string manifestPath, byte[] manifestDigest)
        {
            if (!DeviceId.IsValid(rolloutId))
            {
                return "rollout id (key 1) is not 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit";
            }

            if (!IsValidManifestPath(manifestPath))
            {
                return "manifest path (key 2) is not an absolute path of unreserved characters without empty, '.' or '..' segments";
            }

            if (manifestDigest.Length != HeartbeatFormat.DigestLength)
            {
                return "manifest digest (key 3) is not 32 bytes";
            }

            return string.Empty;
        }
    }
}
