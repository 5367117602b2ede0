using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Lifecycle
{
    /// <summary>
    /// The device's persisted lifecycle state (unprovisioned → provisioned → enrolled →
    /// operating, plus updating, quarantined, decommissioned). Moves follow one transition
    /// table; a move the table does not allow is refused, never forced.
    /// </summary>
    public interface IDeviceLifecycle
    {
        /// <summary>The current state, as persisted.</summary>
        LifecycleState Current { get; }

        /// <summary>Moves to <paramref name="target"/> when the table allows it from the current state, persisting it before returning.</summary>
        /// <param name="target">The new state.</param>
        /// <param name="reason">Why, for the log.</param>
        /// <returns>False when the table forbids the move (nothing changes).</returns>
        bool TryMove(LifecycleState target, string reason);
    }
}
