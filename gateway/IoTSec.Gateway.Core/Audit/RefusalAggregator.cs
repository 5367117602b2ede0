using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// Counts refusals (of EST requests, of broker connections) per source address and writes
/// them to the audit log in batches: one entry of the given kind per source per interval,
/// with counts per reason code and the first devices named. Every refusal is counted; a
/// flood of them costs a counter increment under a lock, not an fsync'd audit entry, and
/// memory stays bounded whatever the number of sources.
/// </summary>
public sealed class RefusalAggregator
{
    /// <summary>Distinct sources kept per interval; refusals from further sources share one bucket.</summary>
    public const int MaxSourcesPerInterval = 1024;

    /// <summary>Devices named per source and interval.</summary>
    public const int MaxDevicesPerSource = 16;

    /// <summary>The bucket of sources beyond <see cref="MaxSourcesPerInterval"/>.</summary>
    public const string OtherSources = "other-sources";

    private readonly AuditLog? _audit;
    private readonly AuditEventKind _kind;
    private readonly string _actor;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, SourceWindow> _window = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>Writes entries of <paramref name="kind"/> by <paramref name="actor"/> to <paramref name="audit"/> (none: counts only).</summary>
    public RefusalAggregator(AuditLog? audit, AuditEventKind kind, string actor, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        _audit = audit;
        _kind = kind;
        _actor = actor;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Refusals counted since start.</summary>
    public long TotalRefusals => Interlocked.Read(ref _total);

    /// <summary>The name a source is counted under ("unknown" when not known; IPv4-mapped addresses as IPv4).</summary>
    public static string SourceName(IPAddress? source) =>
        source?.IsIPv4MappedToIPv6 == true ? source.MapToIPv4().ToString() : source?.ToString() ?? "unknown";

    /// <summary>Counts one refusal of <paramref name="reasonCode"/> (a stable code word) from <paramref name="source"/>.</summary>
    public void Record(string source, string reasonCode, string? deviceId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reasonCode);
        var now = _time.GetUtcNow();
        Interlocked.Increment(ref _total);
        lock (_gate)
        {
            var name = source;
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

            window.Add(reasonCode, deviceId, now);
        }
    }

    /// <summary>
    /// Writes one audit entry per source counted since the last flush and reports each to
    /// <paramref name="flushed"/> (source, count, "reason ×n, …") for the log; returns how many sources.
    /// </summary>
    public int Flush(Action<string, long, string>? flushed = null)
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

        var sources = new List<string>(window.Keys);
        sources.Sort(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var counts = window[source];
            var codes = new List<string>(counts.Reasons.Keys);
            codes.Sort(StringComparer.Ordinal);
            var reasons = new JsonObject();
            var summary = new List<string>(codes.Count);
            foreach (var code in codes)
            {
                reasons[code] = counts.Reasons[code];
                summary.Add($"{code} ×{counts.Reasons[code]}");
            }

            var devices = new JsonArray();
            foreach (var device in counts.Devices)
            {
                devices.Add(device);
            }

            flushed?.Invoke(source, counts.Total, string.Join(", ", summary));
            _audit?.Append(_kind, _actor, source, new JsonObject
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

    private sealed class SourceWindow(DateTimeOffset first)
    {
        public Dictionary<string, long> Reasons { get; } = new(StringComparer.Ordinal);

        public List<string> Devices { get; } = [];

        public long OtherDeviceRefusals { get; private set; }

        public long Total { get; private set; }

        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; private set; } = first;

        public void Add(string reason, string? deviceId, DateTimeOffset now)
        {
            Total++;
            Last = now;
            Reasons[reason] = Reasons.GetValueOrDefault(reason) + 1;
            if (deviceId is null || Devices.Contains(deviceId))
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
