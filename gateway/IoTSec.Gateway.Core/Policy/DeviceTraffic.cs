using System;
using System.Threading;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// One connected device's policy state: a token bucket per publish rule of the class that
/// judges it now, and the times of its last violations. Lives as long as the device's
/// <see cref="Edge.EdgeDevice"/> (one connection), so memory is bounded by the connections the
/// broker holds. All access under <see cref="Gate"/>.
/// </summary>
internal sealed class DeviceTraffic
{
    public Lock Gate { get; } = new();

    /// <summary>The class the buckets belong to; a reload or a quarantine changes the class object and refills them.</summary>
    private DeviceClassPolicy? _class;
    private double[] _tokens = [];
    private long[] _refilledAt = [];
    private long[] _violations = [];
    private int _nextViolation;
    private int _violationCount;

    /// <summary>Takes a token of <paramref name="rule"/>'s bucket at <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp); false when empty.</summary>
    public bool TryTake(DeviceClassPolicy policy, PublishRule rule, long now, TimeProvider time)
    {
        if (!ReferenceEquals(_class, policy))
        {
            Reset(policy, now);
        }

        var i = rule.Index;
        var elapsed = time.GetElapsedTime(_refilledAt[i], now).TotalSeconds;
        _refilledAt[i] = now;
        var tokens = Math.Min(rule.Rate.Burst, _tokens[i] + (elapsed > 0 ? elapsed * rule.Rate.PerSecond : 0));
        if (tokens < 1)
        {
            _tokens[i] = tokens;
            return false;
        }

        _tokens[i] = tokens - 1;
        return true;
    }

    /// <summary>Gives back a token taken for a message that was then refused for another reason.</summary>
    public void Refund(DeviceClassPolicy policy, PublishRule rule)
    {
        if (ReferenceEquals(_class, policy))
        {
            _tokens[rule.Index] = Math.Min(rule.Rate.Burst, _tokens[rule.Index] + 1);
        }
    }

    /// <summary>Records a violation at <paramref name="now"/>; true when it makes <paramref name="threshold"/> within <paramref name="window"/> (the count then starts again).</summary>
    public bool AddViolation(long now, int threshold, TimeSpan window, TimeProvider time)
    {
        if (_violations.Length != threshold)
        {
            _violations = new long[threshold];
            _nextViolation = 0;
            _violationCount = 0;
        }

        _violations[_nextViolation] = now;
        _nextViolation = (_nextViolation + 1) % threshold;
        if (_violationCount < threshold)
        {
            _violationCount++;
        }

        // The slot to be overwritten next holds the oldest of the last `threshold` violations.
        if (_violationCount == threshold && time.GetElapsedTime(_violations[_nextViolation], now) <= window)
        {
            _violationCount = 0;
            return true;
        }

        return false;
    }

    private void Reset(DeviceClassPolicy policy, long now)
    {
        var count = policy.PublishRules.Count;
        _class = policy;
        _tokens = new double[count];
        _refilledAt = new long[count];
        for (var i = 0; i < count; i++)
        {
            _tokens[i] = policy.PublishRules[i].Rate.Burst;
            _refilledAt[i] = now;
        }
    }
}
