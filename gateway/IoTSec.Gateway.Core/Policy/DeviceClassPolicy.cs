using System;
using System.Collections.Generic;
using IoTSec.Gateway.Core.Segmentation;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>The allowlist and posture rules of one device class.</summary>
public sealed class DeviceClassPolicy
{
    private readonly byte[][] _firmware;

    internal DeviceClassPolicy(string name, PublishRule[] publish, SubscribeRule[] subscribe, byte[][] firmware, TimeSpan heartbeatInterval, NetworkAllowRule[] networkRules)
    {
        NetworkRules = networkRules;
        Name = name;
        PublishRules = publish;
        SubscribeRules = subscribe;
        _firmware = firmware;
        HeartbeatInterval = heartbeatInterval;
    }

    /// <summary>The class name (as in the inventory).</summary>
    public string Name { get; }

    /// <summary>Publish rules in file order; the first whose topic matches decides.</summary>
    public IReadOnlyList<PublishRule> PublishRules { get; }

    /// <summary>Subscribe rules in file order.</summary>
    public IReadOnlyList<SubscribeRule> SubscribeRules { get; }

    /// <summary>
    /// The network flows the class's devices may open (the <c>network</c> key), in file order;
    /// empty when the class has none: the firewall then drops all of its devices' traffic.
    /// </summary>
    public IReadOnlyList<NetworkAllowRule> NetworkRules { get; }

    /// <summary>How many firmware digests are allowed.</summary>
    public int FirmwareCount => _firmware.Length;

    /// <summary>The interval the class's devices send heartbeats at.</summary>
    public TimeSpan HeartbeatInterval { get; }

    /// <summary>True when <paramref name="digest"/> is one of the allowed firmware SHA-256 digests.</summary>
    public bool IsFirmwareAllowed(ReadOnlySpan<byte> digest)
    {
        // Digests are public values (a release list), so an ordinary comparison is fine here.
        foreach (var allowed in _firmware)
        {
            if (digest.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }
}
