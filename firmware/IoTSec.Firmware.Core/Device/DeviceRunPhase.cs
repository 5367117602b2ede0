namespace IoTSec.Firmware.Device
{
    /// <summary>Where the <see cref="DeviceRuntime"/> is in its boot (for logs, tests and the fleet's summary).</summary>
    public enum DeviceRunPhase
    {
        /// <summary>Recording the boot, recovering provisioning.</summary>
        Booting = 0,

        /// <summary>Too many boots without becoming healthy: console only, until the hold time is over.</summary>
        SafeMode = 1,

        /// <summary>No identity yet: waiting for the provisioning console's commit.</summary>
        WaitingForProvisioning = 2,

        /// <summary>EST enrolment (or renewal, or the heartbeat key) in progress.</summary>
        Enrolling = 3,

        /// <summary>Connecting to the gateway broker (with jittered backoff).</summary>
        Connecting = 4,

        /// <summary>Connected: heartbeats, commands and OTA offers.</summary>
        Running = 5,

        /// <summary>Decommissioned: console only, until a factory reset.</summary>
        Decommissioned = 6,

        /// <summary><see cref="DeviceRuntime.Stop"/> was called and the runtime returned.</summary>
        Stopped = 7,
    }
}
