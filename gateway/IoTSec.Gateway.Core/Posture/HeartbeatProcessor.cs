using System;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Verifies every heartbeat (docs/posture.md): derives the device's key for the certificate
/// of its connection (a new certificate serial starts a new key epoch and a new chain), checks
/// MAC, format and device id with the shared decoder, classifies the chain, judges the posture,
/// records verdict changes, saves the device's state and only then returns the acknowledgement
/// carrying the gateway's time. A heartbeat that does not verify is dropped without an
/// acknowledgement and raises an alert.
/// </summary>
/// <remarks>
/// Heartbeats are processed one at a time (one lock): a device beats about once a minute, so
/// even ten thousand devices make under 200 a second, and SQLite has one writer anyway. The
/// heartbeat key is derived per heartbeat (microseconds) and wiped after use; no key table.
/// </remarks>
public sealed partial class HeartbeatProcessor : IHeartbeatProcessor
{
    private readonly PostureStore _store;
    private readonly HeartbeatSecret _secret;
    private readonly IPostureRules _rules;
    private readonly DeviceInventory _inventory;
    private readonly PostureVerdictRecorder _recorder;
    private readonly IAlertSink _alerts;
    private readonly PostureSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AlertThrottle _throttle;

    /// <summary>Creates the processor over its collaborators.</summary>
    public HeartbeatProcessor(
        PostureStore store,
        HeartbeatSecret secret,
        IPostureRules rules,
        DeviceInventory inventory,
        PostureVerdictRecorder recorder,
        IAlertSink alerts,
        PostureSettings settings,
        TimeProvider time,
        ILogger<HeartbeatProcessor> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _secret = secret ?? throw new ArgumentNullException(nameof(secret));
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _throttle = new AlertThrottle(settings.RepeatedAlertInterval);
    }

    /// <inheritdoc />
    public HeartbeatOutcome Process(EdgeDevice device, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(device);

        // Refused before copying: the broker's payload limit may be larger than a heartbeat's.
        if (payload.Length > HeartbeatFormat.MaxEncodedLength)
        {
            return Drop(device, "too-large", AlertCodes.HeartbeatMalformed, $"heartbeat of {payload.Length} bytes, over {HeartbeatFormat.MaxEncodedLength}");
        }

        var bytes = payload.ToArray();
        byte[] key;
        try
        {
            key = _secret.DeriveKey(device.DeviceId, device.CertificateSerial);
        }
        catch (SecretSealedException e)
        {
            PostureMetrics.HeartbeatRejected("secret-unavailable");
            RaiseThrottled(AlertCodes.SecretUnavailable, "gateway", AlertSeverity.Critical, e.Message);
            return new HeartbeatOutcome(false, null, "heartbeat secret unavailable");
        }
        catch (ArgumentException e)
        {
            // The broker handed over an identity the key derivation refuses (not a device id, a
            // serial that is not a positive minimal DER INTEGER): nothing can verify.
            return Drop(device, "bad-identity", AlertCodes.HeartbeatInvalid, e.Message);
        }

        try
        {
            HeartbeatOutcome outcome;
            PostureStore.PendingWrite? write;
            lock (_store.UpdateGate)
            {
                try
                {
                    outcome = ProcessVerified(device, bytes, key, receivedAt, out write);
                }
                catch
                {
                    // The record may be half changed in memory: the file holds the last good state.
                    _store.Evict(device.DeviceId);
                    throw;
                }
            }

            // Durable before the acknowledgement leaves: once the device holds an ack, the
            // gateway holds the chain state that produced it. Outside the gate, so other
            // devices' heartbeats are verified meanwhile and share the sync (group commit).
            if (write is not null)
            {
                _store.WaitDurable(write);
            }

            return outcome;
        }
        catch (Exception e) when (e is AuditLogException or SqliteException or InvalidOperationException)
        {
            // Fail closed: no acknowledgement for what could not be recorded; the device's next
            // heartbeat is judged again against the last state that was.
            PostureMetrics.HeartbeatRejected("not-recorded");
            LogNotRecorded(_logger, device.DeviceId, e);
            return new HeartbeatOutcome(false, null, "the gateway could not record the heartbeat");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private HeartbeatOutcome ProcessVerified(EdgeDevice device, byte[] bytes, byte[] key, DateTimeOffset receivedAt, out PostureStore.PendingWrite? write)
    {
        write = null;
        VerifiedHeartbeat heartbeat;
        try
        {
            heartbeat = HeartbeatDecoder.Decode(bytes, key, device.DeviceId);
        }
        catch (HeartbeatRejectedException e)
        {
            return Rejected(device, e);
        }

        var stored = _store.Find(device.DeviceId);

        var now = _time.GetUtcNow();
        var keyId = HeartbeatKeyDerivation.ComputeKeyId(key);
        var newEpoch = stored is null || !stored.KeyId.AsSpan().SequenceEqual(keyId);
        if (newEpoch && stored is not null && _store.IsKnownEpoch(device.DeviceId, keyId))
        {
            // A heartbeat under a superseded certificate (an old session still open after a
            // renewal): it must not switch the chain back to an old epoch.
            PostureMetrics.HeartbeatRejected("superseded-epoch");
            LogSupersededEpoch(_logger, device.DeviceId, Convert.ToHexStringLower(keyId));
            return new HeartbeatOutcome(false, null, "heartbeat under a superseded key epoch");
        }

        var posture = stored ?? new DevicePosture(device.DeviceId, device.DeviceClass, device.CertificateSerial, keyId, now, now);
        if (newEpoch)
        {
            StartEpoch(posture, device, keyId, now);
        }

        posture.DeviceClass = device.DeviceClass;
        var chain = LoadChain(posture);
        var fields = heartbeat.Fields;
        var bootWentBack = chain.IsAnchored && fields.Sequence > chain.LastSequence && fields.BootCount < chain.LastBootCount;
        var chainVerdict = chain.Observe(heartbeat);
        PostureMetrics.HeartbeatVerified(ChainName(chainVerdict));

        switch (chainVerdict)
        {
            case ChainVerdict.Replay:
                RaiseThrottled(AlertCodes.HeartbeatReplay, device.DeviceId, AlertSeverity.Warning, $"heartbeat {fields.Sequence} received again (byte-identical)");
                return Answer(heartbeat, key, HeartbeatAckVerdict.Duplicate, false, "replay");
            case ChainVerdict.Stale:
                return Answer(heartbeat, key, HeartbeatAckVerdict.Stale, false, "stale");
            case ChainVerdict.Fork:
                return Forked(posture, heartbeat, key, bootWentBack, newEpoch, now, out write);
            default:
                return Accepted(posture, chain, chainVerdict, heartbeat, key, newEpoch, receivedAt, now, out write);
        }
    }

    private HeartbeatOutcome Accepted(DevicePosture posture, HeartbeatChainVerifier chain, ChainVerdict chainVerdict, VerifiedHeartbeat heartbeat, byte[] key, bool newEpoch, DateTimeOffset receivedAt, DateTimeOffset now, out PostureStore.PendingWrite write)
    {
        var fields = heartbeat.Fields;
        PostureAssessment.NoteBoots(posture, fields.BootCount, now, _settings);
        posture.ChainState = chain.Serialize();
        posture.FirmwareDigest = fields.FirmwareDigest;
        posture.FirmwareVersion = fields.FirmwareVersion;
        posture.LastSequence = fields.Sequence;
        posture.LastHeartbeatAt = receivedAt;
        posture.Silent = false;

        var finding = PostureAssessment.Assess(posture, fields, _rules, _settings);
        _recorder.Record(posture, finding, now, fields.Sequence);
        if (finding.Verdict == PostureVerdict.Healthy && !posture.OperatingConfirmed)
        {
            posture.OperatingConfirmed = ConfirmOperating(posture.DeviceId);
        }

        write = _store.Stage(posture, newEpoch);
        var ackVerdict = finding.Verdict != PostureVerdict.Healthy
            ? HeartbeatAckVerdict.PostureNonCompliant
            : HeartbeatAck.VerdictFor(chainVerdict);
        return Answer(heartbeat, key, ackVerdict, true, string.Empty);
    }

    private HeartbeatOutcome Forked(DevicePosture posture, VerifiedHeartbeat heartbeat, byte[] key, bool bootWentBack, bool newEpoch, DateTimeOffset now, out PostureStore.PendingWrite write)
    {
        var fields = heartbeat.Fields;
        var code = bootWentBack ? AlertCodes.BootCountBackwards : AlertCodes.HeartbeatFork;
        var detail = bootWentBack
            ? $"heartbeat {fields.Sequence} reports boot count {fields.BootCount}, below the chain's last: a second device or restored flash"
            : $"heartbeat {fields.Sequence} does not continue the device's chain: two devices share this identity (a clone)";

        // The chain is not moved (the first chain seen stays the reference); the evidence is
        // kept for the epoch so the verdict stays compromised.
        posture.Evidence ??= code;
        var changed = _recorder.Record(posture, new PostureFinding(PostureVerdict.Compromised, code, detail), now, fields.Sequence);
        if (!changed)
        {
            RaiseThrottled(code, posture.DeviceId, AlertSeverity.Critical, detail);
        }

        write = _store.Stage(posture, newEpoch);
        return Answer(heartbeat, key, HeartbeatAckVerdict.ChainConflict, false, bootWentBack ? "boot count backwards" : "fork");
    }

    private HeartbeatOutcome Rejected(EdgeDevice device, HeartbeatRejectedException e)
    {
        switch (e.Reason)
        {
            case HeartbeatRejection.TooLarge:
            case HeartbeatRejection.Malformed:
                return Drop(device, Kebab(e.Reason), AlertCodes.HeartbeatMalformed, e.Message);
            case HeartbeatRejection.BadMac:
                var now = _time.GetUtcNow();
                var stored = _store.Find(device.DeviceId);
                if (stored is not null && (!stored.CertificateSerial.AsSpan().SequenceEqual(device.CertificateSerial) || now - stored.EpochStartedAt < _settings.EpochGrace))
                {
                    // Around a renewal heartbeats under the other epoch's key are expected
                    // (heartbeat-key.md "Epochs"): counted and dropped, no alert.
                    PostureMetrics.HeartbeatRejected("bad-mac-epoch-switch");
                    return new HeartbeatOutcome(false, null, "MAC does not verify (key epoch switching)");
                }

                return Drop(device, "bad-mac", AlertCodes.HeartbeatBadMac, e.Message);
            default:
                return Drop(device, Kebab(e.Reason), AlertCodes.HeartbeatInvalid, e.Message);
        }
    }

    private HeartbeatOutcome Drop(EdgeDevice device, string reason, string alertCode, string detail)
    {
        PostureMetrics.HeartbeatRejected(reason);
        LogDropped(_logger, device.DeviceId, reason);
        RaiseThrottled(alertCode, device.DeviceId, AlertSeverity.Warning, detail);
        return new HeartbeatOutcome(false, null, detail);
    }

    private HeartbeatOutcome Answer(VerifiedHeartbeat heartbeat, byte[] key, HeartbeatAckVerdict verdict, bool accepted, string reason)
    {
        // The gateway's own clock: the device sets its clock from this (topics.md).
        var time = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        var ack = new HeartbeatAck(heartbeat.Fields.Sequence, time, verdict, heartbeat.GetLink()).Encode(key);
        return new HeartbeatOutcome(accepted, ack, reason);
    }

    private void StartEpoch(DevicePosture posture, EdgeDevice device, byte[] keyId, DateTimeOffset now)
    {
        posture.CertificateSerial = device.CertificateSerial;
        posture.KeyId = keyId;
        posture.EpochStartedAt = now;
        posture.ChainState = new HeartbeatChainVerifier().Serialize();
        posture.LastSequence = null;
        posture.Evidence = null;
        LogNewEpoch(_logger, device.DeviceId, Convert.ToHexStringLower(keyId));
    }

    private HeartbeatChainVerifier LoadChain(DevicePosture posture)
    {
        try
        {
            return HeartbeatChainVerifier.Deserialize(posture.ChainState);
        }
        catch (ChainStateRejectedException e)
        {
            // Our own file, damaged: restart the chain (the next heartbeat anchors as a gap)
            // rather than refuse the device forever; say so loudly.
            LogChainStateDamaged(_logger, posture.DeviceId, e.Message);
            return new HeartbeatChainVerifier();
        }
    }

    private bool ConfirmOperating(string deviceId)
    {
        try
        {
            var record = _inventory.Find(deviceId);
            if (record?.State == DeviceState.Enrolled)
            {
                record = _inventory.ApplyLifecycleEvent(deviceId, DeviceLifecycleEvent.OperatingConfirmed, PostureVerdictRecorder.Actor, "first healthy heartbeat");
            }

            return record?.State == DeviceState.Operating;
        }
        catch (InventoryException e)
        {
            LogConfirmFailed(_logger, deviceId, e.Message);
            return false;
        }
    }

    private void RaiseThrottled(string code, string subject, AlertSeverity severity, string detail)
    {
        var now = _time.GetUtcNow();
        if (_throttle.ShouldRaise(subject, code, now))
        {
            _alerts.Raise(new SecurityAlert(code, subject, severity, detail, now));
        }
        else
        {
            PostureMetrics.AlertSuppressed(code);
        }
    }

    private static string ChainName(ChainVerdict verdict) => verdict switch
    {
        ChainVerdict.InOrder => "in-order",
        ChainVerdict.Gap => "gap",
        ChainVerdict.Replay => "replay",
        ChainVerdict.Fork => "fork",
        ChainVerdict.Stale => "stale",
        _ => "unknown",
    };

    private static string Kebab(HeartbeatRejection reason) => reason switch
    {
        HeartbeatRejection.Malformed => "malformed",
        HeartbeatRejection.TooLarge => "too-large",
        HeartbeatRejection.BadMac => "bad-mac",
        HeartbeatRejection.UnknownVersion => "unknown-version",
        HeartbeatRejection.FieldMissing => "field-missing",
        HeartbeatRejection.FieldInvalid => "field-invalid",
        HeartbeatRejection.UnknownField => "unknown-field",
        HeartbeatRejection.DeviceIdMismatch => "device-id-mismatch",
        _ => "other",
    };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "device {DeviceId} dropped a heartbeat: {Reason}")]
    private static partial void LogDropped(ILogger logger, string deviceId, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "device {DeviceId} starts heartbeat key epoch {KeyId}")]
    private static partial void LogNewEpoch(ILogger logger, string deviceId, string keyId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "device {DeviceId}: heartbeat under superseded key epoch {KeyId} dropped")]
    private static partial void LogSupersededEpoch(ILogger logger, string deviceId, string keyId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "device {DeviceId}: stored chain state is damaged ({Why}); the chain restarts at the next heartbeat")]
    private static partial void LogChainStateDamaged(ILogger logger, string deviceId, string why);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "device {DeviceId}: heartbeat verified but could not be recorded; no acknowledgement sent")]
    private static partial void LogNotRecorded(ILogger logger, string deviceId, Exception error);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "device {DeviceId}: could not confirm it operating in the inventory: {Why}")]
    private static partial void LogConfirmFailed(ILogger logger, string deviceId, string why);
}
