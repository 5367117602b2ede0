using System;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Commands
{
    /// <summary>
    /// Carries out the gateway's commands (docs/protocols/topics.md, "Command") and answers
    /// each on up/cmd-ack with its result.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Order for every command: verify the MAC under the heartbeat key (a command that fails
    /// it is not from this device's gateway and gets no answer, only a refusal code); refuse
    /// an id not above the last one executed (<c>Duplicate</c>, refusal <c>CommandReplayed</c>);
    /// persist the id (record <c>cmd-last</c>) <b>before</b> executing, so a command that
    /// reboots or erases the device can never run twice; execute; acknowledge. Reboot and
    /// Decommission are acknowledged before they run, because afterwards the device cannot
    /// speak; their effect shows in the next heartbeat or the certificate's state.
    /// </para>
    /// <para>
    /// A trust-anchor update is verified with the OTA keys the device trusts now
    /// (<see cref="TrustAnchorUpdateVerifier"/>) against the persisted anchor-update counter,
    /// and persisted (<see cref="TrustAnchorStore"/>) before the Ok is sent.
    /// </para>
    /// <para>Not thread-safe: runs on the main loop through <see cref="DownlinkRouter"/>.</para>
    /// </remarks>
    public sealed class CommandDispatcher
    {
        /// <summary>Default oldest command accepted, by the trusted clock: one day.</summary>
        public const int DefaultMaxCommandAgeSeconds = 86400;

        private const string RecordName = "cmd-last";

        private readonly DeviceTopics _topics;
        private readonly IMqttLink _link;
        private readonly IDevicePlatform _platform;
        private readonly HeartbeatKeyHolder _key;
        private readonly TrustedClock _clock;
        private readonly RefusalRecord _refusals;
        private readonly TrustAnchorStore _anchors;
        private readonly ICommandActions _actions;
        private readonly HeartbeatAgent _agent;
        private readonly IDeviceLog _log;
        private readonly RecordStore _lastIdStore;
        private ulong _lastId;
        private int _maxAgeSeconds = DefaultMaxCommandAgeSeconds;

        /// <summary>Creates the dispatcher over the persisted last command id.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="flash">Where the last command id persists.</param>
        /// <param name="link">Where acknowledgements are published.</param>
        /// <param name="platform">Digests and reboot.</param>
        /// <param name="key">The heartbeat key that MACs commands.</param>
        /// <param name="clock">The trusted clock (command age, anchor-update expiry).</param>
        /// <param name="refusals">The sticky last-refusal code.</param>
        /// <param name="anchors">The trust anchors a trust-anchor update replaces.</param>
        /// <param name="actions">The other areas' share of ReEnrol, RefreshHeartbeatKey and Decommission.</param>
        /// <param name="agent">For ReportPosture.</param>
        /// <param name="log">Diagnostics.</param>
        public CommandDispatcher(string deviceId, IFlashStore flash, IMqttLink link, IDevicePlatform platform, HeartbeatKeyHolder key, TrustedClock clock, RefusalRecord refusals, TrustAnchorStore anchors, ICommandActions actions, HeartbeatAgent agent, IDeviceLog log)
        {
            if (flash == null || link == null || platform == null || key == null || clock == null || refusals == null || anchors == null || actions == null || agent == null || log == null)
            {
                throw new ArgumentNullException("flash", "every dependency of the command dispatcher is required");
            }

            _topics = new DeviceTopics(deviceId);
            _link = link;
            _platform = platform;
            _key = key;
            _clock = clock;
            _refusals = refusals;
            _anchors = anchors;
            _actions = actions;
            _agent = agent;
            _log = log;
            _lastIdStore = new RecordStore(flash, RecordName);
            byte[] stored = _lastIdStore.Read();
            _lastId = stored != null && stored.Length == 8 ? BigEndian.GetUInt64(stored, 0) : 0;
        }

        /// <summary>The id of the last command executed (persisted; 0 when none).</summary>
        public ulong LastCommandId
        {
            get { return _lastId; }
        }

        /// <summary>Commands issued longer ago than this by the trusted clock are Rejected (only checked once the clock is synchronised).</summary>
        public int MaxCommandAgeSeconds
        {
            get
            {
                return _maxAgeSeconds;
            }

            set
            {
                if (value < 1)
                {
                    throw new ArgumentOutOfRangeException("value");
                }

                _maxAgeSeconds = value;
            }
        }

        /// <summary>Handles a message from down/cmd.</summary>
        /// <param name="payload">The MAC'd command.</param>
        /// <returns>The acknowledgement published (or that failed to publish), or null when the command was not authentic or not readable (no answer: its id cannot be trusted).</returns>
        public CommandAck OnCommand(byte[] payload)
        {
            byte[] key = _key.Key;
            if (key == null || payload == null)
            {
                _log.Write("command: no heartbeat key, ignored");
                return null;
            }

            DeviceCommand command;
            try
            {
                command = DeviceCommand.Decode(payload, 0, payload.Length, key, _platform.Digests);
            }
            catch (MessageRejectedException e)
            {
                _refusals.Record(e.Reason == MessageRejection.BadMac ? RefusalCode.DownlinkBadMac : RefusalCode.DownlinkMalformed);
                _log.Write("command: refused: " + e.Message);
                return null;
            }

            if (command.CommandId <= _lastId)
            {
                _refusals.Record(RefusalCode.CommandReplayed);
                return Answer(command.CommandId, CommandResult.Duplicate, "id not above the last executed (" + _lastId.ToString() + ")");
            }

            try
            {
                RememberId(command.CommandId);
            }
            catch (FlashException e)
            {
                // Without the persisted id a redelivery after a reboot would run it again.
                return Answer(command.CommandId, CommandResult.Failed, "command id not persisted: " + e.Message);
            }

            long now = _clock.UnixMilliseconds;
            if (now != TrustedClock.NoTrustedTime && (ulong)now > command.IssuedAtUnixMilliseconds && (ulong)now - command.IssuedAtUnixMilliseconds > (ulong)_maxAgeSeconds * 1000UL)
            {
                return Answer(command.CommandId, CommandResult.Rejected, "issued more than " + _maxAgeSeconds.ToString() + " s ago");
            }

            return Execute(command);
        }

        private CommandAck Execute(DeviceCommand command)
        {
            ulong id = command.CommandId;
            switch (command.Code)
            {
                case CommandCode.Reboot:
                    {
                        CommandAck ack = Answer(id, CommandResult.Ok, null);
                        _log.Write("command " + id.ToString() + ": reboot");
                        _platform.Reboot();
                        return ack;
                    }

                case CommandCode.ReEnrol:
                    return Answer(id, _actions.ReEnrol(), null);

                case CommandCode.RefreshHeartbeatKey:
                    return Answer(id, _actions.RefreshHeartbeatKey(), null);

                case CommandCode.ReportPosture:
                    try
                    {
                        _agent.PublishPostureReport();
                        return Answer(id, CommandResult.Ok, null);
                    }
                    catch (NetworkException e)
                    {
                        return Answer(id, CommandResult.Failed, "posture report not published: " + e.Message);
                    }

                case CommandCode.ApplyTrustAnchorUpdate:
                    return ApplyTrustAnchorUpdate(id, command.GetArguments());

                case CommandCode.Decommission:
                    {
                        CommandAck ack = Answer(id, CommandResult.Ok, null);
                        _log.Write("command " + id.ToString() + ": decommission");
                        _actions.Decommission();
                        return ack;
                    }

                default:
                    return Answer(id, CommandResult.Unsupported, "unknown command code " + ((uint)command.Code).ToString());
            }
        }

        private CommandAck ApplyTrustAnchorUpdate(ulong id, byte[] envelope)
        {
            TrustAnchorUpdate update;
            try
            {
                var verifier = new TrustAnchorUpdateVerifier(_anchors.CurrentOtaKeys(), _platform.Digests);
                update = verifier.Verify(envelope, _anchors.UpdateCounter, _clock.UnixSeconds);
            }
            catch (AnchorUpdateRejectedException e)
            {
                _refusals.Record(RefusalCode.FromTrustAnchorRejection((int)e.Reason));
                return Answer(id, CommandResult.Rejected, "trust-anchor update refused: " + AnchorUpdateRejectedException.ReasonName(e.Reason));
            }
            catch (RsaKeyException e)
            {
                return Answer(id, CommandResult.Failed, "stored OTA key unusable: " + e.Message);
            }

            try
            {
                _anchors.Apply(update);
            }
            catch (ProvisioningPayloadException e)
            {
                _refusals.Record(RefusalCode.FromTrustAnchorRejection((int)AnchorUpdateRejection.InvalidAnchor));
                return Answer(id, CommandResult.Rejected, "anchor not storable: " + e.Message);
            }
            catch (FlashException e)
            {
                return Answer(id, CommandResult.Failed, "anchor not persisted: " + e.Message);
            }

            _log.Write("command " + id.ToString() + ": trust anchor replaced, update sequence " + update.Sequence.ToString());
            return Answer(id, CommandResult.Ok, "update " + update.Sequence.ToString() + " applied");
        }

        // The detail often carries an exception message: keep it to printable ASCII within the
        // acknowledgement's 256-byte limit, so building the answer can never fail.
        private static string AsciiDetail(string detail)
        {
            if (detail == null)
            {
                return null;
            }

            int length = detail.Length > 200 ? 200 : detail.Length;
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                char c = detail[i];
                chars[i] = c >= ' ' && c <= '~' ? c : '?';
            }

            return new string(chars);
        }

        private void RememberId(ulong id)
        {
            var payload = new byte[8];
            BigEndian.PutUInt64(payload, 0, id);
            _lastIdStore.Write(payload);
            _lastId = id;
        }

        private CommandAck Answer(ulong id, CommandResult result, string detail)
        {
            if (!CommandAck.IsDefined(result))
            {
                result = CommandResult.Failed;
            }

            var ack = new CommandAck(id, result, AsciiDetail(detail));
            try
            {
                _link.Publish(_topics.CommandAck, ack.Encode());
            }
            catch (NetworkException e)
            {
                // The id is persisted: a resent command is answered Duplicate.
                _log.Write("command " + id.ToString() + ": acknowledgement not published: " + e.Message);
            }

            return ack;
        }
    }
}
