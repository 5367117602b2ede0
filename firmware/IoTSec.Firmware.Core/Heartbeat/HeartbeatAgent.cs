using System;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// Sends the device's chained heartbeats (docs/protocols/heartbeat.md) every interval,
    /// publishes the full posture report when it changed, and takes the gateway's time from
    /// the acknowledgements into the <see cref="TrustedClock"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Persisted: the boot count (<c>hb-boot</c>), the chain head (<c>hb-chain</c>: next
    /// sequence, last link, key id) and the digest of the last posture report published
    /// (<c>hb-report</c>). The head is written before the heartbeat is published, so a power
    /// cut or a lost connection costs a gap in the chain, never a second heartbeat with the
    /// same sequence (a fork: what a clone looks like).
    /// </para>
    /// <para>
    /// Not thread-safe: call it from the device's main loop only; downlink messages reach it
    /// through <see cref="DownlinkInbox"/> and <see cref="DownlinkRouter"/> on that loop.
    /// </para>
    /// </remarks>
    public sealed class HeartbeatAgent
    {
        /// <summary>Interval used when the provisioned configuration gives none: 60 s.</summary>
        public const int DefaultIntervalSeconds = 60;

        /// <summary>What <see cref="Tick"/> returns while a due heartbeat waits for the boot, the key or the connection.</summary>
        public const int BlockedRetryMilliseconds = 1000;

        private const string ReportRecordName = "hb-report";

        private readonly string _deviceId;
        private readonly DeviceTopics _topics;
        private readonly IDeviceClock _clock;
        private readonly IDevicePlatform _platform;
        private readonly IMqttLink _link;
        private readonly IHeartbeatStatusSource _status;
        private readonly HeartbeatKeyHolder _key;
        private readonly TrustedClock _trustedClock;
        private readonly RefusalRecord _refusals;
        private readonly IDeviceLog _log;
        private readonly BootCounter _boots;
        private readonly HeartbeatChainHead _head;
        private readonly RecordStore _reportStore;

        private int _intervalSeconds = DefaultIntervalSeconds;
        private bool _booted;
        private bool _storageDegraded;
        private long _nextDueMs;
        private byte[] _lastReportDigest;

        // The heartbeat waiting for its acknowledgement, and the one acknowledged last (whose
        // acknowledgement may arrive again as an MQTT duplicate).
        private ulong _outstandingSequence;
        private byte[] _outstandingLink;
        private long _outstandingSentAtMs;
        private ulong _acknowledgedSequence;
        private byte[] _acknowledgedLink;

        /// <summary>Creates the agent over the device's persisted chain.</summary>
        /// <param name="deviceId">The device id (topic and heartbeat key 2).</param>
        /// <param name="flash">Where the chain head, boot count and report digest persist.</param>
        /// <param name="clock">The monotonic clock of this boot.</param>
        /// <param name="platform">Digests, board name and hardware id.</param>
        /// <param name="link">The MQTT session with the gateway broker.</param>
        /// <param name="status">What the heartbeat reports about the firmware and the board.</param>
        /// <param name="key">The heartbeat key (set by the enrolment area).</param>
        /// <param name="trustedClock">Set from verified acknowledgements.</param>
        /// <param name="refusals">The sticky last-refusal code.</param>
        /// <param name="log">Diagnostics (never given a key or a MAC).</param>
        public HeartbeatAgent(string deviceId, IFlashStore flash, IDeviceClock clock, IDevicePlatform platform, IMqttLink link, IHeartbeatStatusSource status, HeartbeatKeyHolder key, TrustedClock trustedClock, RefusalRecord refusals, IDeviceLog log)
        {
            if (flash == null || clock == null || platform == null || link == null || status == null || key == null || trustedClock == null || refusals == null || log == null)
            {
                throw new ArgumentNullException("flash", "every dependency of the heartbeat agent is required");
            }

            _topics = new DeviceTopics(deviceId);
            _deviceId = deviceId;
            _clock = clock;
            _platform = platform;
            _link = link;
            _status = status;
            _key = key;
            _trustedClock = trustedClock;
            _refusals = refusals;
            _log = log;
            _boots = new BootCounter(flash);
            _head = new HeartbeatChainHead(flash);
            _reportStore = new RecordStore(flash, ReportRecordName);
            _lastReportDigest = _reportStore.Read();
        }

        /// <summary>Seconds between heartbeats (the provisioned heartbeat interval; 1 to 86,400).</summary>
        public int IntervalSeconds
        {
            get
            {
                return _intervalSeconds;
            }

            set
            {
                if (value < 1 || value > 86400)
                {
                    throw new ArgumentOutOfRangeException("value", "a heartbeat interval is 1 s to 1 day");
                }

                _intervalSeconds = value;
            }
        }

        /// <summary>Where the trust anchors come from for the posture report's key ids; null reports none.</summary>
        public TrustAnchorStore Anchors { get; set; }

        /// <summary>This boot's number (after <see cref="Boot"/>).</summary>
        public uint BootCount
        {
            get { return _boots.Current; }
        }

        /// <summary>The sequence the next heartbeat will carry under the current key.</summary>
        public ulong NextSequence
        {
            get
            {
                byte[] keyId = _key.KeyId;
                return keyId != null && _head.IsChainOf(keyId) ? _head.NextSequence : 0;
            }
        }

        /// <summary>Heartbeats acknowledged (verified, answering the one outstanding) since this boot: what an OTA trial boot waits for before it confirms.</summary>
        public int AcknowledgedSinceBoot { get; private set; }

        /// <summary>The gateway's verdict in the last acknowledgement taken (meaningful when <see cref="AcknowledgedSinceBoot"/> is above 0).</summary>
        public HeartbeatAckVerdict LastVerdict { get; private set; }

        /// <summary>True when a persistent write failed since boot; reported as <see cref="PostureFlags.StorageDegraded"/>.</summary>
        public bool StorageDegraded
        {
            get { return _storageDegraded || _refusals.PersistFailed; }
        }

        /// <summary>
        /// Counts this boot (persisted before returning). Call once per boot, before the first
        /// heartbeat. When the count cannot be persisted (<see cref="FlashException"/>) no
        /// heartbeat is sent this boot: the same boot count with a restarted uptime would look
        /// like a second device to the gateway's chain verifier (a fork).
        /// </summary>
        public void Boot()
        {
            if (_booted)
            {
                return;
            }

            _boots.Increment();
            _booted = true;
            _nextDueMs = _clock.MillisecondsSinceBoot;
            _log.Write("heartbeat: boot " + _boots.Current.ToString() + ", next sequence " + _head.NextSequence.ToString());
        }

        /// <summary>
        /// Sends a heartbeat when one is due and the key and the session are there; call it from
        /// the main loop. A failed publish is logged and the next heartbeat is made at the
        /// next interval (the gateway sees a gap).
        /// </summary>
        /// <returns>
        /// Milliseconds until the next heartbeat is due; <see cref="BlockedRetryMilliseconds"/>
        /// when one is due but cannot be sent yet (not booted, no key, not connected), so a
        /// main loop sleeping on it never spins.
        /// </returns>
        public long Tick()
        {
            long now = _clock.MillisecondsSinceBoot;
            if (now >= _nextDueMs && !(_booted && _key.HasKey && _link.IsConnected))
            {
                return BlockedRetryMilliseconds;
            }

            if (now >= _nextDueMs)
            {
                try
                {
                    SendHeartbeat();
                }
                catch (NetworkException e)
                {
                    _log.Write("heartbeat: publish failed, the gateway will see a gap: " + e.Message);
                    _nextDueMs = now + (_intervalSeconds * 1000L);
                }
                catch (FlashException e)
                {
                    _log.Write("heartbeat: chain head not persisted, heartbeat not sent: " + e.Message);
                    _nextDueMs = now + (_intervalSeconds * 1000L);
                }
            }

            long wait = _nextDueMs - _clock.MillisecondsSinceBoot;
            return wait < 0 ? 0 : wait;
        }

        /// <summary>
        /// Makes the next heartbeat, persists the chain head, publishes the posture report if
        /// it changed, then publishes the heartbeat.
        /// </summary>
        /// <returns>The heartbeat as published.</returns>
        /// <exception cref="InvalidOperationException"><see cref="Boot"/> was not called, or there is no heartbeat key.</exception>
        /// <exception cref="FlashException">The chain head could not be persisted: nothing is published (a sequence that might be made again must never leave the device).</exception>
        /// <exception cref="NetworkException">The publish failed: this heartbeat is lost (a gap), its sequence is not used again.</exception>
        public byte[] SendHeartbeat()
        {
            if (!_booted)
            {
                throw new InvalidOperationException("Boot() must run before the first heartbeat");
            }

            byte[] key = _key.Key;
            byte[] keyId = _key.KeyId;
            if (key == null)
            {
                throw new InvalidOperationException("no heartbeat key yet");
            }

            bool sameChain = _head.IsChainOf(keyId);
            if (!sameChain && _head.KeyId != null)
            {
                _log.Write("heartbeat: new key epoch, new chain at sequence 0");
            }

            _refusals.NoteOtaRefusal(_status.LastOtaRefusal);
            var fields = new HeartbeatFields();
            fields.DeviceId = _deviceId;
            fields.Sequence = sameChain ? _head.NextSequence : 0;
            fields.PreviousDigest = sameChain ? _head.LastLink : HeartbeatLink.Genesis();
            fields.BootCount = _boots.Current;
            long uptime = _clock.MillisecondsSinceBoot / 1000;
            fields.UptimeSeconds = uptime > uint.MaxValue ? uint.MaxValue : (uint)uptime;
            fields.FirmwareVersion = _status.FirmwareVersion;
            fields.FirmwareDigest = _status.FirmwareDigest;
            fields.ActiveSlot = _status.ActiveSlot;
            fields.ConfigurationDigest = _status.ConfigurationDigest;
            fields.PostureFlags = CurrentFlags();
            fields.LastRefusal = _refusals.Last;

            IDigestProvider digests = _platform.Digests;
            byte[] encoded = HeartbeatEncoder.Encode(fields, key, digests);
            byte[] link = HeartbeatLink.Compute(encoded, 0, encoded.Length, digests);

            // Device rule 2: the head moves before the heartbeat leaves.
            try
            {
                _head.Advance(fields.Sequence + 1, link, keyId);
            }
            catch (FlashException)
            {
                _storageDegraded = true;
                throw;
            }

            _nextDueMs = _clock.MillisecondsSinceBoot + (_intervalSeconds * 1000L);
            PublishPostureReportIfChanged();

            _outstandingSequence = fields.Sequence;
            _outstandingLink = link;
            _outstandingSentAtMs = _clock.MillisecondsSinceBoot;
            _link.Publish(_topics.Heartbeat, encoded);
            return encoded;
        }

        /// <summary>Builds the current posture report.</summary>
        /// <returns>The report.</returns>
        public PostureReport BuildPostureReport()
        {
            var report = new PostureReport();
            report.DeviceId = _deviceId;
            report.BoardName = _platform.BoardName;
            report.HardwareId = _platform.HardwareId;
            report.FirmwareVersion = _status.FirmwareVersion;
            report.FirmwareDigest = _status.FirmwareDigest;
            report.ActiveSlot = _status.ActiveSlot;
            report.ConfigurationDigest = _status.ConfigurationDigest;
            report.PostureFlags = CurrentFlags();
            report.LastRefusal = _refusals.Last;
            report.TrustAnchorKeyIds = Anchors == null ? new byte[0][] : Anchors.KeyIds();
            return report;
        }

        /// <summary>Publishes the full posture report on up/posture (the ReportPosture command), whether or not it changed.</summary>
        /// <exception cref="NetworkException">The publish failed.</exception>
        public void PublishPostureReport()
        {
            PublishReport(BuildPostureReport().Encode());
        }

        /// <summary>Delta reporting: publishes the posture report only when its SHA-256 differs from the last one published (persisted across reboots).</summary>
        /// <returns>True when a report was published.</returns>
        public bool PublishPostureReportIfChanged()
        {
            byte[] report = BuildPostureReport().Encode();
            if (_lastReportDigest != null && ConstantTime.AreEqual(_lastReportDigest, Digest(report)))
            {
                return false;
            }

            try
            {
                PublishReport(report);
                return true;
            }
            catch (NetworkException e)
            {
                // Not recorded as sent: the next heartbeat tries again.
                _log.Write("heartbeat: posture report not published: " + e.Message);
                return false;
            }
        }

        /// <summary>
        /// Handles a message from down/hb-ack: verifies its MAC under the heartbeat key, checks
        /// it answers the outstanding heartbeat (sequence and link), then sets the trusted
        /// clock. Anything else is refused with a refusal code, and the clock is left alone.
        /// </summary>
        /// <param name="payload">The message.</param>
        /// <returns>True when the acknowledgement was taken.</returns>
        public bool OnAcknowledgement(byte[] payload)
        {
            long receivedAt = _clock.MillisecondsSinceBoot;
            byte[] key = _key.Key;
            if (key == null || payload == null)
            {
                return false;
            }

            HeartbeatAck ack;
            try
            {
                ack = HeartbeatAck.Decode(payload, 0, payload.Length, key, _platform.Digests);
            }
            catch (MessageRejectedException e)
            {
                _refusals.Record(e.Reason == MessageRejection.BadMac ? RefusalCode.DownlinkBadMac : RefusalCode.DownlinkMalformed);
                _log.Write("heartbeat: acknowledgement refused: " + e.Message);
                return false;
            }

            if (_outstandingLink != null && ack.Acknowledges(_outstandingSequence, _outstandingLink))
            {
                bool timeTaken = _trustedClock.Synchronise(ack.GatewayTimeUnixMilliseconds, _outstandingSentAtMs, receivedAt);
                LastVerdict = ack.Verdict;
                AcknowledgedSinceBoot++;
                _acknowledgedSequence = _outstandingSequence;
                _acknowledgedLink = _outstandingLink;
                _outstandingLink = null;
                if (ack.Verdict == HeartbeatAckVerdict.ChainConflict)
                {
                    _log.Write("heartbeat: the gateway sees another chain under this identity (clone suspected); the device is quarantined");
                }

                if (!timeTaken)
                {
                    _log.Write("heartbeat: acknowledgement round trip too long, clock not set");
                }

                return true;
            }

            if (_acknowledgedLink != null && ack.Acknowledges(_acknowledgedSequence, _acknowledgedLink))
            {
                // An MQTT duplicate of the acknowledgement already taken: harmless, ignored.
                return false;
            }

            // A replayed old acknowledgement: it must not turn the clock back.
            _refusals.Record(RefusalCode.AckNotOutstanding);
            _log.Write("heartbeat: acknowledgement answers no outstanding heartbeat (sequence " + ack.Sequence.ToString() + "), ignored");
            return false;
        }

        private PostureFlags CurrentFlags()
        {
            PostureFlags flags = _status.PostureFlags;
            if (!_trustedClock.IsSynchronised)
            {
                flags |= PostureFlags.ClockUnsynchronised;
            }

            if (StorageDegraded)
            {
                flags |= PostureFlags.StorageDegraded;
            }

            return flags;
        }

        private void PublishReport(byte[] report)
        {
            _link.Publish(_topics.Posture, report);
            byte[] digest = Digest(report);
            try
            {
                _reportStore.Write(digest);
            }
            catch (FlashException)
            {
                // The report is sent again after the next reboot: harmless.
                _storageDegraded = true;
            }

            _lastReportDigest = digest;
        }

        private byte[] Digest(byte[] data)
        {
            using (IHashAlgorithm sha = _platform.Digests.CreateSha256())
            {
                sha.Update(data, 0, data.Length);
                var digest = new byte[32];
                sha.Final(digest, 0);
                return digest;
            }
        }
    }
}
