using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// The devices connected to the broker now, by device id. The broker adds and removes them;
/// remediation (quarantine) and the missing-heartbeat detector look them up.
/// </summary>
public sealed class ConnectedDevices
{
    private readonly ConcurrentDictionary<string, EdgeDevice> _devices = new(System.StringComparer.Ordinal);

    /// <summary>How many devices are connected.</summary>
    public int Count => _devices.Count;

    /// <summary>Records <paramref name="device"/> as connected, replacing an older session of the same device.</summary>
    public void Add(EdgeDevice device)
    {
        System.ArgumentNullException.ThrowIfNull(device);
        _devices[device.DeviceId] = device;
    }

    /// <summary>Forgets <paramref name="device"/> unless a newer session of the same device replaced it.</summary>
    public void Remove(EdgeDevice device)
    {
        System.ArgumentNullException.ThrowIfNull(device);
        _devices.TryRemove(new KeyValuePair<string, EdgeDevice>(device.DeviceId, device));
    }

    /// <summary>The connected session of <paramref name="deviceId"/>, if any.</summary>
    public bool TryGet(string deviceId, [MaybeNullWhen(false)] out EdgeDevice device) => _devices.TryGetValue(deviceId, out device);

    /// <summary>A snapshot of the connected devices.</summary>
    public IReadOnlyCollection<EdgeDevice> Snapshot() => [.. _devices.Values];
}
