using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Text;

namespace IoTSec.Benchmarks;

/// <summary>
/// Samples the runtime's allocation ticks (one event about every 100 KB allocated, naming the
/// type that crossed the mark) and sums them by type: a cheap, in-process allocation profile of
/// the broker process under load, with no profiler installed.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>The top <paramref name="count"/> types by sampled bytes, one line, then forgets them.</summary>
    public string TakeTop(int count)
    {
        List<KeyValuePair<string, long>> entries;
        lock (_bytes)
        {
            entries = [.. _bytes];
            _bytes.Clear();
        }

        entries.Sort((a, b) => b.Value.CompareTo(a.Value));
        long total = 0;
        foreach (var entry in entries)
        {
            total += entry.Value;
        }

        var text = new StringBuilder();
        for (var i = 0; i < Math.Min(count, entries.Count); i++)
        {
            text.Append(entries[i].Key).Append(' ').Append((100.0 * entries[i].Value / Math.Max(1, total)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)).Append("%; ");
        }

        return text.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string? type = null;
        long amount = 0;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "TypeName":
                    type = eventData.Payload[i] as string;
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload[i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (type is null)
        {
            return;
        }

        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }
}
