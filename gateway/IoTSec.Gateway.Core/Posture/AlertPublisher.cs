using System;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Raises an alert everywhere it must go: the log, a counter per code on
/// <see cref="GatewayMeter"/>, an <see cref="AuditEventKind.Alert"/> entry and an
/// <see cref="UpstreamKind.Alert"/> message (JSON). One failing sink does not keep the alert
/// from the others, and <see cref="Raise"/> never throws because of one.
/// </summary>
public sealed partial class AlertPublisher(ILogger<AlertPublisher> logger, AuditLog audit, IUpstreamQueue upstream) : IAlertSink
{
    /// <summary>The audit actor of alerts.</summary>
    public const string Actor = "posture";

    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    private readonly AuditLog _audit = audit ?? throw new ArgumentNullException(nameof(audit));
    private readonly IUpstreamQueue _upstream = upstream ?? throw new ArgumentNullException(nameof(upstream));

    /// <inheritdoc />
    public void Raise(SecurityAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        PostureMetrics.AlertRaised(alert.Code);
        if (alert.Severity == AlertSeverity.Critical)
        {
            LogCritical(_logger, alert.Code, alert.Subject, alert.Detail);
        }
        else
        {
            LogWarning(_logger, alert.Code, alert.Subject, alert.Detail);
        }

        var body = ToJson(alert);

        // Each sink is tried on its own: an audit log that is full or locked must not keep
        // the alert from going upstream, and the reverse. Failures are logged, never hidden.
        try
        {
            _audit.Append(AuditEventKind.Alert, Actor, alert.Subject, (JsonObject)body.DeepClone());
        }
#pragma warning disable CA1031 // An alert sink must survive any failure of one destination (IAlertSink's contract).
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSinkFailed(_logger, "audit log", alert.Code, alert.Subject, e);
        }

        try
        {
            _upstream.Enqueue(new UpstreamMessage(alert.Subject, UpstreamKind.Alert, Encoding.UTF8.GetBytes(body.ToJsonString()), alert.RaisedAt));
        }
#pragma warning disable CA1031 // As above: the upstream queue belongs to another component and may fail in any way.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSinkFailed(_logger, "upstream queue", alert.Code, alert.Subject, e);
        }
    }

    /// <summary>The JSON form of an alert, as audited and sent upstream.</summary>
    public static JsonObject ToJson(SecurityAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new JsonObject
        {
            ["code"] = alert.Code,
            ["subject"] = alert.Subject,
            ["severity"] = alert.Severity == AlertSeverity.Critical ? "critical" : "warning",
            ["detail"] = alert.Detail,
            ["raisedAt"] = alert.RaisedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "ALERT {Code} for {Subject}: {Detail}")]
    private static partial void LogCritical(ILogger logger, string code, string subject, string detail);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "alert {Code} for {Subject}: {Detail}")]
    private static partial void LogWarning(ILogger logger, string code, string subject, string detail);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "alert {Code} for {Subject} could not be written to the {Sink}")]
    private static partial void LogSinkFailed(ILogger logger, string sink, string code, string subject, Exception error);
}
