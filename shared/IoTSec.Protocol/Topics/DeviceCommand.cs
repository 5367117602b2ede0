using System;
using IoTSec.Protocol.Cbor;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// A command from the gateway, on down/cmd:
    /// <c>[body, HMAC-SHA256(heartbeat key, "IoTSec command v1" 0x00 || body)]</c> with
    /// <c>body = {1: command id, 2: command code, 3: issued-at (Unix ms), ? 4: arguments bstr}</c>
    /// (docs/protocols/topics.md).
    /// </summary>
    /// <remarks>
    /// Why a MAC although the broker already refuses down/ publishes from anyone but the
    /// gateway: a command can erase the device (Decommission) or replace its trust anchors,
    /// and the MAC keeps that true even if a broker ACL is ever misconfigured. Command ids
    /// increase per device (from 1), so the device refuses a replay by remembering one number:
    /// the last id it executed.
    /// </remarks>
    public sealed class DeviceCommand
    {
        /// <summary>Longest encoded command accepted.</summary>
        public const int MaxEncodedLength = 8192;

        /// <summary>Longest arguments: room for a trust-anchor update carrying an RSA-3072 key and a certificate chain.</summary>
        public const int MaxArgumentsLength = 6144;

        /// <summary>The MAC's domain-separation label; on the wire it is these ASCII bytes and one NUL.</summary>
        public const string MacLabel = "IoTSec command v1";

        private const int KeyId = 1;
        private const int KeyCode = 2;
        private const int KeyIssuedAt = 3;
        private const int KeyArguments = 4;

        private static readonly byte[] MacPrefix = MacEnvelope.Label(MacLabel);

        private readonly byte[] _arguments;

        /// <summary>Creates a command.</summary>
        /// <param name="commandId">Its id, at least 1 and above every earlier id sent to this device.</param>
        /// <param name="code">What it asks for.</param>
        /// <param name="issuedAtUnixMilliseconds">When the gateway issued it, milliseconds since 1970-01-01T00:00:00Z.</param>
        /// <param name="arguments">Its arguments (copied); null or empty for none. Required for <see cref="CommandCode.ApplyTrustAnchorUpdate"/>, refused for the other defined codes.</param>
        /// <exception cref="ArgumentException">The id is 0, the arguments are too long, or present where the code takes none (or absent where it needs them).</exception>
        public DeviceCommand(ulong commandId, CommandCode code, ulong issuedAtUnixMilliseconds, byte[] arguments)
        {
            byte[] args = arguments == null ? new byte[0] : (byte[])arguments.Clone();
            string problem = Problem(commandId, code, args.Length);
            if (problem.Length != 0)
            {
                throw new ArgumentException(problem);
            }

            CommandId = commandId;
            Code = code;
            IssuedAtUnixMilliseconds = issuedAtUnixMilliseconds;
            _arguments = args;
        }

        /// <summary>Key 1: the command's id, unique and increasing per device.</summary>
        public ulong CommandId { get; }

        /// <summary>Key 2: what the command asks for (possibly a code this library does not define).</summary>
        public CommandCode Code { get; }

        /// <summary>Key 3: when the gateway issued it, milliseconds since the Unix epoch; the device may refuse a command too old by its gateway-synchronised clock.</summary>
        public ulong IssuedAtUnixMilliseconds { get; }

        /// <summary>True when the command carries arguments (key 4).</summary>
        public bool HasArguments
        {
            get { return _arguments.Length != 0; }
        }

        /// <summary>Key 4: the arguments, opaque here.</summary>
        /// <returns>A copy; empty when there are none.</returns>
        public byte[] GetArguments()
        {
            return (byte[])_arguments.Clone();
        }

        /// <summary>True for the codes version 1 defines.</summary>
        /// <param name="code">A command code.</param>
        /// <returns>True when defined.</returns>
        public static bool IsDefined(CommandCode code)
        {
            return code >= CommandCode.Reboot && code <= CommandCode.RefreshHeartbeatKey;
        }

        /// <summary>Encodes and MACs the command with the portable HMAC.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The message for down/cmd.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key)
        {
            return Encode(key, PortableDigests.Instance);
        }

        /// <summary>Encodes and MACs the command.</summary>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The message for down/cmd.</returns>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public byte[] Encode(byte[] key, IDigestProvider provider)
        {
            MacEnvelope.CheckKey(key);
            if (provider == null)
            {
                throw new ArgumentNullException("provider");
            }

            var writer = new CborWriter(32 + _arguments.Length);
            writer.WriteStartMap(HasArguments ? 4 : 3);
            writer.WriteUInt64(KeyId);
            writer.WriteUInt64(CommandId);
            writer.WriteUInt64(KeyCode);
            writer.WriteUInt64((uint)Code);
            writer.WriteUInt64(KeyIssuedAt);
            writer.WriteUInt64(IssuedAtUnixMilliseconds);
            if (HasArguments)
            {
                writer.WriteUInt64(KeyArguments);
                writer.WriteByteString(_arguments);
            }

            return MacEnvelope.Seal(MacPrefix, writer.Encode(), key, provider);
        }

        /// <summary>Verifies and decodes a command with the portable HMAC.</summary>
        /// <param name="encoded">The message from down/cmd.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <returns>The command.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        public static DeviceCommand Decode(byte[] encoded, byte[] key)
        {
            if (encoded == null)
            {
                throw new ArgumentNullException("encoded");
            }

            return Decode(encoded, 0, encoded.Length, key, PortableDigests.Instance);
        }

        /// <summary>Verifies and decodes a command held in part of a buffer.</summary>
        /// <param name="buffer">Holds the message.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <param name="key">The device's 32-byte heartbeat key.</param>
        /// <param name="provider">Where HMAC-SHA256 comes from.</param>
        /// <returns>The command.</returns>
        /// <exception cref="MessageRejectedException">Refused; see <see cref="MessageRejection"/>.</exception>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
        public static DeviceCommand Decode(byte[] buffer, int offset, int length, byte[] key, IDigestProvider provider)
        {
            int bodyOffset;
            int bodyLength;
            MessageCodec.Open(TopicKind.Command, buffer, offset, length, MaxEncodedLength, MacPrefix, key, provider, out bodyOffset, out bodyLength);
            try
            {
                FieldMap map = MessageCodec.Fields(TopicKind.Command, buffer, bodyOffset, bodyLength, KeyArguments);
                ulong id = map.UInt64(KeyId, "command id");
                var code = (CommandCode)map.UInt32(KeyCode, "command code");
                ulong issuedAt = map.UInt64(KeyIssuedAt, "issued-at");
                byte[] arguments = map.Has(KeyArguments)
                    ? map.Bytes(KeyArguments, "arguments", 1, MaxArgumentsLength)
                    : new byte[0];
                string problem = Problem(id, code, arguments.Length);
                if (problem.Length != 0)
                {
                    MessageRejection reason = IsDefined(code) && arguments.Length == 0 && code == CommandCode.ApplyTrustAnchorUpdate
                        ? MessageRejection.FieldMissing
                        : MessageRejection.FieldInvalid;
                    throw new MessageRejectedException(TopicKind.Command, reason, problem);
                }

                return new DeviceCommand(id, code, issuedAt, arguments);
            }
            catch (FieldException e)
            {
                throw MessageCodec.Rejected(TopicKind.Command, e);
            }
        }

        private static string Problem(ulong commandId, CommandCode code, int argumentsLength)
        {
            if (commandId == 0)
            {
                return "command id (key 1) is 0; ids start at 1";
            }

            if (argumentsLength > MaxArgumentsLength)
            {
                return "arguments (key 4) exceed " + MaxArgumentsLength.ToString() + " bytes";
            }

            if (code == CommandCode.ApplyTrustAnchorUpdate && argumentsLength == 0)
            {
                return "ApplyTrustAnchorUpdate needs the signed update as arguments (key 4)";
            }

            if (IsDefined(code) && code != CommandCode.ApplyTrustAnchorUpdate && argumentsLength != 0)
            {
                return "command code " + ((uint)code).ToString() + " takes no arguments (key 4)";
            }

            return string.Empty;
        }
    }
}
