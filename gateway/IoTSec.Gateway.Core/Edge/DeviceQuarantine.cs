using System;
using IoTSec.Gateway.Core.Inventory;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>The quarantine action over the inventory and the connected devices.</summary>
public sealed class DeviceQuarantine(DeviceInventory inventory, ConnectedDevices connected) : IQuarantine
{
    private readonly DeviceInventory _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
    private readonly ConnectedDevices _connected = connected ?? throw new ArgumentNullException(nameof(connected));

    /// <inheritdoc />
    public bool Quarantine(string deviceId, string reason, string actor)
    {
        // The live session first: its next message is judged by the quarantine class even
        // while the inventory write is in flight.
        var marked = _connected.TryGet(deviceId, out var device) && device.MarkQuarantined();
        var record = _inventory.Find(deviceId);
        if (record is null || !DeviceLifecycle.TryNext(record.State, DeviceLifecycleEvent.Quarantine, out _))
        {
            return marked;
        }

        _inventory.ApplyLifecycleEvent(deviceId, DeviceLifecycleEvent.Quarantine, actor, reason);
        return true;
    }
}
