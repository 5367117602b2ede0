using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Counts EST refusals per source address and writes them to the audit log in batches: one
/// <see cref="AuditEventKind.EnrolmentRefused"/> entry per source per interval (flushed by
/// <see cref="RefusalAuditFlusher"/>), with counts per reason and the first devices named.
/// Every refusal is counted; a flood of them costs a counter increment, not an fsync'd entry.
/// </summary>
public sealed partial class RefusalAuditor
{
    /// <summary>Distinct sources kept per interval; refusals from further sources share one bucket.</summary>
    public const int MaxSourcesPerInterval = 1024;

    /// <summary>Devices named per source and interval.</summary>
    public const int MaxDevicesPerSource = 16;

    /// <summary>The bucket of sources beyond <see cref="MaxSourcesPerInterval"/>.</summary>
    public const string OtherSources = "other-sources";

    private readonly AuditLog? _audit;
    private readonly ILogger<RefusalAuditor> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, SourceWindow> _window = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>Writes to <paramref name="audit"/> (none: logs only).</summary>
    public RefusalAuditor(AuditLog? audit, ILogger<RefusalAuditor> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _audit = audit;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Refusals counted since start.</summary>
    public long TotalRefusals => Interlocked.Read(ref _total);

    /// <summary>Counts one refusal.</summary>
    public void Record(IPAddress? source, EstRefusal reason, string? deviceId)
    {
        var now = _time.GetUtcNow();
        var name = source?.IsIPv4MappedToIPv6 == true ? source.MapToIPv4().ToString() : source?.ToString() ?? "unknown";
        Interlocked.Increment(ref _total);
        EstMetrics.Refused(reason);
        LogRefusal(_logger, EstRefusals.CodeOf(reason), name, deviceId ?? "-");
        lock (_gate)
        {
            if (!_window.TryGetValue(name, out var window))
            {
                if (_window.Count >= MaxSourcesPerInterval)
                {
                    // Bounded memory and bounded audit entries, whatever the number of sources.
                    name = OtherSources;
                    window = _window.GetValueOrDefault(OtherSources);
                }

                if (window is null)
                {
                    window = new SourceWindow(now);
                    _window[name] = window;
                }
            }

            window.Add(reason, deviceId, now);
        }
    }

    /// <summary>Writes one audit entry per source counted since the last flush; returns how many.</summary>
    public int Flush()
    {
        Dictionary<string, SourceWindow> window;
        lock (_gate)
        {
            if (_window.Count == 0)
            {
                return 0;
            }

            window = _window;
            _window = new Dictionary<string, SourceWindow>(StringComparer.Ordinal);
        }

        foreach (var (source, counts) in window.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var reasons = new JsonObject();
            foreach (var (reason, count) in counts.Reasons.OrderBy(pair => pair.Key))
            {
                reasons[EstRefusals.CodeOf(reason)] = count;
            }

            var devices = new JsonArray();
            foreach (var device in counts.Devices)
            {
                devices.Add(device);
            }

            var summary = string.Join(", ", counts.Reasons.OrderBy(pair => pair.Key).Select(pair => $"{EstRefusals.CodeOf(pair.Key)} ×{pair.Value}"));
            LogFlushed(_logger, counts.Total, source, summary);
            _audit?.Append(AuditEventKind.EnrolmentRefused, "est", source, new JsonObject
            {
                ["count"] = counts.Total,
                ["reasons"] = reasons,
                ["devices"] = devices,
                ["otherDeviceRefusals"] = counts.OtherDeviceRefusals,
                ["from"] = counts.First.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = counts.Last.ToString("O", CultureInfo.InvariantCulture),
            });
        }

        return window.Count;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "EST refused ({Reason}) a request from {Source} (device {DeviceId})")]
    private static partial void LogRefusal(ILogger logger, string reason, string source, string deviceId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "EST refused {Count} request(s) from {Source}: {Reasons}")]
    private static partial void LogFlushed(ILogger logger, long count, string source, string reasons);

    private sealed class SourceWindow(DateTimeOffset first)
    {
        public Dictionary<EstRefusal, long> Reasons { get; } = [];

        public List<string> Devices { get; } = [];

        public long OtherDeviceRefusals { get; private set; }

        public long Total { get; private set; }

        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; private set; } = first;

        public void Add(EstRefusal reason, string? deviceId, DateTimeOffset now)
        {
            Total++;
            Last = now;
            Reasons[reason] = Reasons.GetValueOrDefault(reason) + 1;
            if (deviceId is null || Devices.Contains(deviceId, StringComparer.Ordinal))
            {
                return;
            }

            if (Devices.Count < MaxDevicesPerSource)
            {
                Devices.Add(deviceId);
            }
            else
            {
                OtherDeviceRefusals++;
            }
        }
    }
}
