using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// A device's answer to a command, on up/cmd-ack:
    /// <c>{1: command id, 2: result, ? 3: detail text}</c> (docs/protocols/topics.md). Not
    /// MAC'd: like all uplink except the heartbeat, it is authenticated by the device's mutual
    /// TLS session and the broker's rule that a device publishes only under its own up/.
    /// </summary>
    public sealed class CommandAck
    {
        /// <summary>Longest encoded acknowledgement accepted.</summary>
        public const int MaxEncodedLength = 512;

        /// <summary>Longest detail text, in bytes of UTF-8.</summary>
        public const int MaxDetailLength = 256;

        private const int KeyId = 1;
        private const int KeyResult = 2;
        private const int KeyDetail = 3;

        /// <summary>Creates an acknowledgement.</summary>
        /// <param name="commandId">The id of the command answered.</param>
        /// <param name="result">Its outcome.</param>
        /// <param name="detail">A short diagnostic for logs, at most 256 bytes of UTF-8; null or empty for none.</param>
        /// <exception cref="ArgumentException">The id is 0, the result undefined, or the detail too long or not encodable.</exception>
        public CommandAck(ulong commandId, CommandResult result, string detail)
        {
            if (commandId == 0)
            {
                throw new ArgumentException("command ids start at 1", "commandId");
            }

            if (!IsDefined(result))
            {
                throw new ArgumentException("result " + ((int)result).ToString() + " is not defined", "result");
            }

            string text = detail == null ? string.Empty : detail;
            int utf8 = Utf8Length(text);
            if (utf8 < 0 || utf8 > MaxDetailLength)
            {
                throw new ArgumentException("detail must be at most " + MaxDetailLength.ToString() + " bytes of UTF-8 with no unpaired surrogate", "detail");
            }

            CommandId = commandId;
            Result = result;
            Detail = text;
        }

        /// <summary>Key 1: the id of the command answered.</summary>
        public ulong CommandId { get; }

        /// <summary>Key 2: the outcome.</summary>
        public CommandResult Result { get; }

        /// <summary>Key 3: a diagnostic for logs (untrusted text from the device: escape before display); empty when absent.</summary>
        public string Detail { get; }

        /// <summary>True for the results version 1 defines.</summary>
        /// <param name="result">A result code.</param>
        /// <returns>True when defined.</returns>
        public static bool IsDefined(CommandResult result)
        {
            return result >= CommandResult.Ok && result <= CommandResult.Duplicate;
        }

        /// <summary>Encodes the acknowledgement as deterministic CBOR.</summary>
        /// <returns>The message for up/cmd-ack.</returns>
        public byte[] Encode()
        {
            var writer = new CborWriter(32 + (Detail.Length * 3));
            writer.WriteStartMap(Detail.Length == 0 ? 2 : 3);
            writer.WriteUInt64(KeyId);
            writer.WriteUInt64(CommandId);
            writer.WriteUInt64(KeyResult);
            writer.WriteUInt64((uint)Result);
            if (Detail.Length != 0)
            {
                writer.WriteUInt64(KeyDetail);
                writer.WriteTextString(Detail);
            }

            return writer.Encode();
        }

        /// <summary>Bytes of UTF-8 needed for <paramref name="text"/>, or -1 when it holds an unpaired surrogate (no System.Text.Encoding on nanoFramework).</summary>
        internal static int Utf8Length(string text)
        {
            int bytes = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < 0x80)
                {
                    bytes += 1;
                }
                else if (c < 0x800)
                {
                    bytes += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF)
                {
                    if (i + 1 >= text.Length || text[i + 1] < 0xDC00 || text[i + 1] > 0xDFFF)
                    {
                        return -1;
                    }

                    bytes += 4;
                    i++;
                }
                else if (c >= 0xDC00 && c <= 0xDFFF)
                {
                    return -1;
                }
                else
                {
                    bytes += 3;
                }
            }

            return bytes;
        }

        /// <summary>Decodes an acknowledgement.</summary>
        /// <param name="encoded">The message from up/cmd-ack.</param>
        /// <returns>The acknowledgement.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="encoded"/> is null.</exception>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        public static CommandAck Decode(byte[] encoded)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            if (encoded.Length > MaxEncodedLength)
            {
                throw new MessageRejectedException(TopicKind.CommandAck, MessageRejection.TooLarge, "message of " + encoded.Length.ToString() + " bytes exceeds " + MaxEncodedLength.ToString());
            }

            try
            {
                FieldMap map = MessageCodec.Fields(TopicKind.CommandAck, encoded, 0, encoded.Length, KeyDetail);
                ulong id = map.UInt64(KeyId, "command id");
                if (id == 0)
                {
                    throw FieldMap.Invalid(KeyId, "command id", "is 0; ids start at 1");
                }

                uint result = map.UInt32(KeyResult, "result");
                if (!IsDefined((CommandResult)result))
                {
                    throw FieldMap.Invalid(KeyResult, "result", "is " + result.ToString() + ", not a defined result");
                }

                // Present-but-empty would give the same acknowledgement a second encoding.
                string detail = map.Has(KeyDetail) ? map.Text(KeyDetail, "detail", 1, MaxDetailLength) : string.Empty;
                return new CommandAck(id, (CommandResult)result, detail);
            }
            catch (FieldException e)
            {
                throw MessageCodec.Rejected(TopicKind.CommandAck, e);
            }
        }
    }
}
