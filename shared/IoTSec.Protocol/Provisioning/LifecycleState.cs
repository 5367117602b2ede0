namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Where a device is in its life, as it reports it in the console's Info answer
    /// (docs/protocols/console.md). The values are wire values: never renumber them.
    /// </summary>
    public enum LifecycleState : byte
    {
        /// <summary>No identity committed: fresh from the factory, or after a factory reset.</summary>
        Unprovisioned = 0,

        /// <summary>Birth certificate, key, trust anchors and configuration committed; not enrolled yet.</summary>
        Provisioned = 1,

        /// <summary>Holds an operational certificate from its gateway (EST, RFC 7030).</summary>
        Enrolled = 2,

        /// <summary>Enrolled and running normally (heartbeats, telemetry).</summary>
        Operating = 3,

        /// <summary>Writing or trial-booting a firmware update.</summary>
        Updating = 4,

        /// <summary>Isolated by its gateway after a failed posture check.</summary>
        Quarantined = 5,

        /// <summary>Retired: certificate revoked, inventory entry closed.</summary>
        Decommissioned = 6,
    }
}
