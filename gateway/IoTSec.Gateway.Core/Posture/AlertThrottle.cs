using System;
using System.Collections.Generic;
using System.Threading;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Lets the same alert code for the same subject through at most once per interval, so a
/// device that sends a stream of malformed or replayed heartbeats raises one alert per
/// interval, not one audit entry per message. Memory is bounded: at most
/// <see cref="MaxEntries"/> (subject, code) pairs are remembered.
/// </summary>
public sealed class AlertThrottle(TimeSpan interval)
{
    /// <summary>Most pairs remembered; beyond it the expired ones are dropped, then all.</summary>
    public const int MaxEntries = 8192;

    private readonly Dictionary<(string Subject, string Code), DateTimeOffset> _last = [];
    private readonly Lock _gate = new();

    /// <summary>True when the alert should be raised now (and remembers that it was).</summary>
    public bool ShouldRaise(string subject, string code, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_last.TryGetValue((subject, code), out var last) && now - last < interval)
            {
                return false;
            }

            if (_last.Count >= MaxEntries)
            {
                Prune(now);
            }

            _last[(subject, code)] = now;
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var expired = new List<(string, string)>();
        foreach (var (pair, at) in _last)
        {
            if (now - at >= interval)
            {
                expired.Add(pair);
            }
        }

        foreach (var pair in expired)
        {
            _last.Remove(pair);
        }

        // Still full of live entries (a flood from many subjects): forgetting them costs at
        // most one extra alert each, while keeping them would let memory grow.
        if (_last.Count >= MaxEntries)
        {
            _last.Clear();
        }
    }
}
