using System;
using System.Collections.Generic;
using System.Net;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Every refused broker connection: counted per reason on the gateway's meter at once, and
/// audited as <see cref="AuditEventKind.ConnectionRefused"/> aggregated per source address
/// per interval (<see cref="RefusalAggregator"/>, flushed by <see cref="BrokerRefusalFlusher"/>),
/// so a flood of bad connections costs counters, not audit entries.
/// </summary>
public sealed partial class ConnectionRefusalLedger
{
    private readonly RefusalAggregator _aggregator;
    private readonly ILogger<ConnectionRefusalLedger> _logger;

    /// <summary>Audits to <paramref name="audit"/> (none: counts and logs only).</summary>
    public ConnectionRefusalLedger(AuditLog? audit, ILogger<ConnectionRefusalLedger> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _aggregator = new RefusalAggregator(audit, AuditEventKind.ConnectionRefused, "broker", timeProvider);
        _logger = logger;
    }

    /// <summary>Refusals counted since start.</summary>
    public long TotalRefusals => _aggregator.TotalRefusals;

    /// <summary>Counts one refusal of a connection from <paramref name="source"/>.</summary>
    public void Record(IPAddress? source, ConnectionRefusal reason, string? deviceId, string detail)
    {
        var code = ConnectionRefusals.CodeOf(reason);
        var name = RefusalAggregator.SourceName(source);
        BrokerMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", code));
        LogRefused(_logger, name, code, deviceId ?? "-", detail);
        _aggregator.Record(name, code, deviceId);
    }

    /// <summary>Writes one audit entry per source counted since the last flush; returns how many.</summary>
    public int Flush() => _aggregator.Flush((source, count, reasons) => LogFlushed(_logger, count, source, reasons));

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "broker refused a connection from {Source}: {Reason} (device {DeviceId}; {Detail})")]
    private static partial void LogRefused(ILogger logger, string source, string reason, string deviceId, string detail);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "broker refused {Count} connection(s) from {Source}: {Reasons}")]
    private static partial void LogFlushed(ILogger logger, long count, string source, string reasons);
}
