using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Topics
{
    /// <summary>What the topic messages' decoders share: the MAC envelope, the field map, and the mapping of both to <see cref="MessageRejectedException"/>.</summary>
    internal static class MessageCodec
    {
        /// <summary>Checks size, envelope and MAC; gives where the body lies.</summary>
        internal static void Open(TopicKind kind, byte[] buffer, int offset, int length, int maxLength, byte[] prefix, byte[] key, IDigestProvider provider, out int bodyOffset, out int bodyLength)
        {
            MacEnvelope.CheckRange(buffer, offset, length);
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new System.ArgumentNullException("provider");
            }

            string detail;
            int status = MacEnvelope.Open(buffer, offset, length, maxLength, prefix, key, provider, out bodyOffset, out bodyLength, out detail);
            if (status != MacEnvelope.Ok)
            {
                MessageRejection reason = status == MacEnvelope.TooLarge ? MessageRejection.TooLarge
                    : status == MacEnvelope.BadMac ? MessageRejection.BadMac
                    : MessageRejection.Malformed;
                throw new MessageRejectedException(kind, reason, detail);
            }
        }

        /// <summary>Reads the body map; refuses keys outside 1..maxKey.</summary>
        internal static FieldMap Fields(TopicKind kind, byte[] buffer, int offset, int length, int maxKey)
        {
            FieldMap map = FieldMap.Parse(buffer, offset, length, maxKey, "body");
            if (map.UnknownKey.Length != 0)
            {
                throw new MessageRejectedException(kind, MessageRejection.UnknownField, "key " + map.UnknownKey + " is not defined");
            }

            return map;
        }

        /// <summary>Maps a field problem to the message exception.</summary>
        internal static MessageRejectedException Rejected(TopicKind kind, FieldException e)
        {
            MessageRejection reason = e.Problem == FieldProblem.Missing ? MessageRejection.FieldMissing
                : e.Problem == FieldProblem.Invalid ? MessageRejection.FieldInvalid
                : e.Problem == FieldProblem.Unknown ? MessageRejection.UnknownField
                : MessageRejection.Malformed;
            return new MessageRejectedException(kind, reason, e.Message);
        }
    }
}
