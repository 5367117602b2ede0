using System;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Finds devices that stopped beating: last heartbeat older than two intervals of their class
/// (<see cref="IPostureRules.HeartbeatInterval"/>) plus <see cref="PostureSettings.SilenceGrace"/>.
/// Such a device is marked silent and degraded with one "device.silent" alert (not one per
/// sweep); its next verified heartbeat clears it. Why two intervals: one lost heartbeat (a
/// QoS 1 retry, a reconnect) is normal; two in a row are not.
/// </summary>
public sealed partial class SilenceDetector
{
    private readonly PostureStore _store;
    private readonly IPostureRules _rules;
    private readonly DeviceInventory _inventory;
    private readonly PostureVerdictRecorder _recorder;
    private readonly IAlertSink _alerts;
    private readonly PostureSettings _settings;
    private readonly ILogger _logger;

    /// <summary>Creates the detector.</summary>
    public SilenceDetector(PostureStore store, IPostureRules rules, DeviceInventory inventory, PostureVerdictRecorder recorder, IAlertSink alerts, PostureSettings settings, ILogger<SilenceDetector> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>When a device last heard at <paramref name="lastHeartbeat"/> with <paramref name="interval"/> becomes silent.</summary>
    public DateTimeOffset Deadline(DateTimeOffset lastHeartbeat, TimeSpan interval) => lastHeartbeat + (2 * interval) + _settings.SilenceGrace;

    /// <summary>Marks every device silent whose deadline has passed at <paramref name="now"/>; returns how many were newly marked.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var marked = 0;
        foreach (var candidate in _store.ListAwake())
        {
            if (_rules.HeartbeatInterval(candidate.DeviceClass) is { } period && now <= Deadline(candidate.LastHeartbeatAt, period))
            {
                continue;
            }

            lock (_store.UpdateGate)
            {
                try
                {
                    marked += MarkIfSilent(candidate.DeviceId, now);
                }
                catch
                {
                    // Half changed in memory: the file holds the last good state.
                    _store.Evict(candidate.DeviceId);
                    throw;
                }
            }
        }

        return marked;
    }

    private int MarkIfSilent(string deviceId, DateTimeOffset now)
    {
        // Re-read under the gate: a heartbeat may have arrived since the listing.
        var posture = _store.Find(deviceId);
        if (posture?.LastHeartbeatAt is not { } last || posture.Silent || _rules.HeartbeatInterval(posture.DeviceClass) is not { } interval)
        {
            return 0;
        }

        var deadline = Deadline(last, interval);
        if (now <= deadline)
        {
            return 0;
        }

        posture.Silent = true;
        if (IsClosed(deviceId))
        {
            // Revoked or decommissioned: silence is expected, nobody needs an alert.
            _store.Save(posture);
            return 0;
        }

        var detail = $"no heartbeat since {PostureVerdictRecorder.Timestamp(last)} (interval {interval}, silent after {deadline - last})";
        if (posture.Verdict == PostureVerdict.Compromised)
        {
            // Stays compromised; the silence is still worth telling.
            _alerts.Raise(new SecurityAlert(AlertCodes.DeviceSilent, deviceId, AlertSeverity.Warning, detail, now));
        }
        else
        {
            _recorder.Record(posture, new PostureFinding(PostureVerdict.Degraded, AlertCodes.DeviceSilent, detail), now);
        }

        _store.Save(posture);
        LogSilent(_logger, deviceId, PostureVerdictRecorder.Timestamp(last));
        return 1;
    }

    private bool IsClosed(string deviceId)
    {
        try
        {
            return _inventory.Find(deviceId) is { } record && DeviceLifecycle.IsClosed(record.State);
        }
        catch (InventoryException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "device {DeviceId} is silent (last heartbeat {LastHeartbeat})")]
    private static partial void LogSilent(ILogger logger, string deviceId, string lastHeartbeat);
}
