using System;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Delays between reconnect attempts: doubling from the minimum to the maximum, each drawn
/// uniformly from its upper half ("equal jitter"), so a fleet of gateways that lost the same
/// upstream does not come back in lockstep, and no attempt follows at once.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _failures;

    /// <summary>Creates it.</summary>
    public ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay before the next attempt (counts a failure).</summary>
    public TimeSpan Next()
    {
        var ceiling = _min.Ticks * Math.Pow(2, Math.Min(_failures, 30));
        var cap = (long)Math.Min(ceiling, _max.Ticks);
        _failures++;
        return TimeSpan.FromTicks((cap / 2) + (long)(_random.NextDouble() * (cap / 2)));
    }

    /// <summary>After a success: the next failure starts again from the minimum.</summary>
    public void Reset() => _failures = 0;
}
