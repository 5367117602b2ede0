using System;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Records a change of a device's posture verdict everywhere it belongs: the inventory
/// (<see cref="DeviceInventory.UpdatePosture"/>), the audit log (<see cref="AuditEventKind.PostureVerdict"/>
/// with from, to, reason and the gateway's time), upstream (<see cref="UpstreamKind.Posture"/>)
/// and the metrics; a worsening raises an alert, and a compromise applies the remediation
/// first, so the device is contained before anything is written about it.
/// </summary>
public sealed partial class PostureVerdictRecorder
{
    /// <summary>The audit actor of verdict changes.</summary>
    public const string Actor = "posture";

    private readonly DeviceInventory _inventory;
    private readonly AuditLog _audit;
    private readonly IUpstreamQueue _upstream;
    private readonly IAlertSink _alerts;
    private readonly PostureRemediation _remediation;
    private readonly ILogger _logger;

    /// <summary>Creates the recorder over its destinations.</summary>
    public PostureVerdictRecorder(DeviceInventory inventory, AuditLog audit, IUpstreamQueue upstream, IAlertSink alerts, PostureRemediation remediation, ILogger<PostureVerdictRecorder> logger)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _upstream = upstream ?? throw new ArgumentNullException(nameof(upstream));
        _alerts = alerts ?? throw new ArgumentNullException(nameof(alerts));
        _remediation = remediation ?? throw new ArgumentNullException(nameof(remediation));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Moves <paramref name="posture"/> to <paramref name="finding"/> at <paramref name="at"/>
    /// when its verdict or reason differs (returns false and does nothing otherwise). The
    /// caller saves <paramref name="posture"/> afterwards: should the process die in between,
    /// the next heartbeat finds the old verdict and records the change again (at least once,
    /// never lost).
    /// </summary>
    /// <exception cref="AuditLogException">The audit log could not be written; the heartbeat must not be acknowledged.</exception>
    public bool Record(DevicePosture posture, PostureFinding finding, DateTimeOffset at, ulong? sequence = null)
    {
        ArgumentNullException.ThrowIfNull(posture);
        ArgumentNullException.ThrowIfNull(finding);
        if (posture.Verdict == finding.Verdict && string.Equals(posture.VerdictReason, finding.Reason, StringComparison.Ordinal))
        {
            return false;
        }

        var from = posture.Verdict;
        var deviceId = posture.DeviceId;
        string? action = null;
        if (finding.Verdict == PostureVerdict.Compromised && from != PostureVerdict.Compromised)
        {
            action = _remediation.ApplyCompromised(deviceId, finding.Reason);
        }

        if (finding.Verdict >= PostureVerdict.Degraded)
        {
            var detail = action is null ? finding.Detail : $"{finding.Detail}; remediation: {action}";
            var severity = finding.Verdict == PostureVerdict.Compromised ? AlertSeverity.Critical : AlertSeverity.Warning;
            _alerts.Raise(new SecurityAlert(finding.Reason, deviceId, severity, detail, at));
        }

        posture.Verdict = finding.Verdict;
        posture.VerdictReason = finding.Reason;
        posture.VerdictSince = at;
        PostureMetrics.VerdictChanged(finding.Verdict);
        LogVerdict(_logger, deviceId, PostureVerdictNames.Of(from), PostureVerdictNames.Of(finding.Verdict), finding.Reason);

        try
        {
            _inventory.UpdatePosture(deviceId, PostureVerdictNames.Of(finding.Verdict), at);
        }
        catch (InventoryException e)
        {
            // A device unknown to (or closed in) the inventory still has its verdict audited.
            LogInventorySkipped(_logger, deviceId, e.Message);
        }

        var details = new JsonObject
        {
            ["from"] = PostureVerdictNames.Of(from),
            ["to"] = PostureVerdictNames.Of(finding.Verdict),
            ["reason"] = finding.Reason,
            ["detail"] = finding.Detail,
            ["at"] = Timestamp(at),
            ["deviceClass"] = posture.DeviceClass,
        };
        if (sequence is { } s)
        {
            details["sequence"] = s;
        }

        if (action is not null)
        {
            details["remediation"] = action;
        }

        _audit.Append(AuditEventKind.PostureVerdict, Actor, deviceId, details);

        try
        {
            var body = (JsonObject)details.DeepClone();
            body["deviceId"] = deviceId;
            _upstream.Enqueue(new UpstreamMessage(deviceId, UpstreamKind.Posture, Encoding.UTF8.GetBytes(body.ToJsonString()), at));
        }
#pragma warning disable CA1031 // The upstream queue is another component's; the audit entry above is the record of truth.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUpstreamFailed(_logger, deviceId, e);
        }

        return true;
    }

    /// <summary>The timestamp format of posture records: UTC, milliseconds, ISO 8601.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "device {DeviceId} posture {From} -> {To} ({Reason})")]
    private static partial void LogVerdict(ILogger logger, string deviceId, string from, string to, string reason);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "device {DeviceId}: posture not recorded in the inventory: {Why}")]
    private static partial void LogInventorySkipped(ILogger logger, string deviceId, string why);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Error, Message = "device {DeviceId}: posture verdict could not be queued upstream")]
    private static partial void LogUpstreamFailed(ILogger logger, string deviceId, Exception error);
}
