using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// Collects policy violations per device and writes them to the audit log in batches: one
/// <see cref="AuditEventKind.PolicyViolation"/> entry per device per interval with counts per
/// kind and the first topics named (the pattern of the EST refusal auditor). A flood of
/// violations costs a counter increment each, not an audit entry each; memory is bounded by
/// <see cref="MaxDevicesPerInterval"/> and <see cref="MaxTopicsPerDevice"/>.
/// </summary>
public sealed class PolicyViolationAuditor
{
    /// <summary>Distinct devices kept per interval; violations of further devices share one entry.</summary>
    public const int MaxDevicesPerInterval = 1024;

    /// <summary>Distinct topics named per device and interval.</summary>
    public const int MaxTopicsPerDevice = 8;

    /// <summary>The subject of the shared entry of devices beyond <see cref="MaxDevicesPerInterval"/>.</summary>
    public const string OtherDevices = "other-devices";

    private readonly AuditLog? _audit;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, DeviceWindow> _window = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>Writes to <paramref name="audit"/> (none: counts only).</summary>
    public PolicyViolationAuditor(AuditLog? audit, TimeProvider? timeProvider = null)
    {
        _audit = audit;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Violations recorded since start.</summary>
    public long TotalViolations => Interlocked.Read(ref _total);

    /// <summary>Records one violation by <paramref name="deviceId"/> on <paramref name="topic"/>.</summary>
    public void Record(string deviceId, TrafficViolation violation, string? topic)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var now = _time.GetUtcNow();
        Interlocked.Increment(ref _total);
        lock (_gate)
        {
            if (!_window.TryGetValue(deviceId, out var window))
            {
                var name = deviceId;
                if (_window.Count >= MaxDevicesPerInterval)
                {
                    name = OtherDevices;
                    window = _window.GetValueOrDefault(OtherDevices);
                }

                if (window is null)
                {
                    window = new DeviceWindow(now);
                    _window[name] = window;
                }
            }

            window.Add(violation, topic, now);
        }
    }

    /// <summary>Writes one audit entry per device recorded since the last flush; returns a one-line summary of each, for the log.</summary>
    public IReadOnlyList<string> Flush()
    {
        Dictionary<string, DeviceWindow> window;
        lock (_gate)
        {
            if (_window.Count == 0)
            {
                return [];
            }

            window = _window;
            _window = new Dictionary<string, DeviceWindow>(StringComparer.Ordinal);
        }

        var names = new List<string>(window.Keys);
        names.Sort(StringComparer.Ordinal);
        var summaries = new List<string>(names.Count);
        foreach (var device in names)
        {
            var counts = window[device];
            var kinds = new JsonObject();
            var summary = new List<string>();
            for (var i = 0; i < counts.Kinds.Length; i++)
            {
                if (counts.Kinds[i] > 0)
                {
                    var code = PolicyMetrics.CodeOf((TrafficViolation)i);
                    kinds[code] = counts.Kinds[i];
                    summary.Add(string.Create(CultureInfo.InvariantCulture, $"{code} ×{counts.Kinds[i]}"));
                }
            }

            var topics = new JsonArray();
            foreach (var topic in counts.Topics)
            {
                topics.Add(topic);
            }

            summaries.Add(string.Create(CultureInfo.InvariantCulture, $"{device}: {counts.Total} violation(s): {string.Join(", ", summary)}"));
            _audit?.Append(AuditEventKind.PolicyViolation, PolicyStore.Actor, device, new JsonObject
            {
                ["count"] = counts.Total,
                ["violations"] = kinds,
                ["topics"] = topics,
                ["from"] = counts.First.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = counts.Last.ToString("O", CultureInfo.InvariantCulture),
            });
        }

        return summaries;
    }

    private sealed class DeviceWindow(DateTimeOffset first)
    {
        public long[] Kinds { get; } = new long[(int)TrafficViolation.PayloadInvalid + 1];

        public List<string> Topics { get; } = [];

        public long Total { get; private set; }

        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; private set; } = first;

        public void Add(TrafficViolation violation, string? topic, DateTimeOffset now)
        {
            Total++;
            Last = now;
            var index = (int)violation;
            if (index >= 0 && index < Kinds.Length)
            {
                Kinds[index]++;
            }

            if (topic is not null && Topics.Count < MaxTopicsPerDevice)
            {
                // Device-chosen text: escaped and cut before it reaches the audit log.
                var printable = PolicyYamlReader.Printable(topic);
                if (!Topics.Contains(printable))
                {
                    Topics.Add(printable);
                }
            }
        }
    }
}
