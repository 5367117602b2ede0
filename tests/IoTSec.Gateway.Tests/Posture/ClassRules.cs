using System;
using System.Collections.Generic;
using IoTSec.Gateway.Core.Edge;

namespace IoTSec.Gateway.Tests.Posture;

/// <summary>
/// A stand-in for the policy store's <see cref="IPostureRules"/> (built by another helper now):
/// a class → (interval, allowed firmware digests) map.
/// </summary>
internal sealed class ClassRules : IPostureRules
{
    private readonly Dictionary<string, (TimeSpan Interval, List<byte[]> Firmware)> _classes = new(StringComparer.Ordinal);

    public ClassRules Allow(string deviceClass, TimeSpan interval, params byte[][] firmwareDigests)
    {
        _classes[deviceClass] = (interval, [.. firmwareDigests]);
        return this;
    }

    public bool IsFirmwareAllowed(string deviceClass, ReadOnlySpan<byte> firmwareDigest)
    {
        if (!_classes.TryGetValue(deviceClass, out var rules))
        {
            return false;
        }

        foreach (var digest in rules.Firmware)
        {
            if (firmwareDigest.SequenceEqual(digest))
            {
                return true;
            }
        }

        return false;
    }

    public TimeSpan? HeartbeatInterval(string deviceClass) => _classes.TryGetValue(deviceClass, out var rules) ? rules.Interval : null;
}
