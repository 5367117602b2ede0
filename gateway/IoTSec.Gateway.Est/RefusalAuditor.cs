using System;
using System.Net;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Counts EST refusals per source address and writes them to the audit log in batches: one
/// <see cref="AuditEventKind.EnrolmentRefused"/> entry per source per interval (flushed by
/// <see cref="RefusalAuditFlusher"/>), with counts per reason and the first devices named.
/// Every refusal is counted; a flood of them costs a counter increment, not an fsync'd entry.
/// The counting is <see cref="RefusalAggregator"/>'s, shared with the device broker.
/// </summary>
public sealed partial class RefusalAuditor
{
    /// <summary>Distinct sources kept per interval; refusals from further sources share one bucket.</summary>
    public const int MaxSourcesPerInterval = RefusalAggregator.MaxSourcesPerInterval;

    /// <summary>Devices named per source and interval.</summary>
    public const int MaxDevicesPerSource = RefusalAggregator.MaxDevicesPerSource;

    /// <summary>The bucket of sources beyond <see cref="MaxSourcesPerInterval"/>.</summary>
    public const string OtherSources = RefusalAggregator.OtherSources;

    private readonly RefusalAggregator _aggregator;
    private readonly ILogger<RefusalAuditor> _logger;

    /// <summary>Writes to <paramref name="audit"/> (none: logs only).</summary>
    public RefusalAuditor(AuditLog? audit, ILogger<RefusalAuditor> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _aggregator = new RefusalAggregator(audit, AuditEventKind.EnrolmentRefused, "est", timeProvider);
        _logger = logger;
    }

    /// <summary>Refusals counted since start.</summary>
    public long TotalRefusals => _aggregator.TotalRefusals;

    /// <summary>Counts one refusal.</summary>
    public void Record(IPAddress? source, EstRefusal reason, string? deviceId)
    {
        var name = RefusalAggregator.SourceName(source);
        var code = EstRefusals.CodeOf(reason);
        EstMetrics.Refused(reason);
        LogRefusal(_logger, code, name, deviceId ?? "-");
        _aggregator.Record(name, code, deviceId);
    }

    /// <summary>Writes one audit entry per source counted since the last flush; returns how many.</summary>
    public int Flush() => _aggregator.Flush((source, count, reasons) => LogFlushed(_logger, count, source, reasons));

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "EST refused ({Reason}) a request from {Source} (device {DeviceId})")]
    private static partial void LogRefusal(ILogger logger, string reason, string source, string deviceId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "EST refused {Count} request(s) from {Source}: {Reasons}")]
    private static partial void LogFlushed(ILogger logger, long count, string source, string reasons);
}
