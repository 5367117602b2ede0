namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// What the gateway made of the acknowledged heartbeat (key 3 of <see cref="HeartbeatAck"/>).
    /// A device accepts any value (a newer gateway may send more) and treats values it does
    /// not know as "not accepted"; the gateway time in the acknowledgement is valid whatever
    /// the verdict.
    /// </summary>
    public enum HeartbeatAckVerdict
    {
        /// <summary>Accepted, in order.</summary>
        Accepted = 0,

        /// <summary>Accepted after missed heartbeats; the gateway re-anchored its chain here.</summary>
        AcceptedAfterGap = 1,

        /// <summary>A copy of a heartbeat already accepted (a redelivery); nothing changed.</summary>
        Duplicate = 2,

        /// <summary>Too old for the gateway to judge; ignored.</summary>
        Stale = 3,

        /// <summary>The gateway saw another chain under this identity (a clone); the device is quarantined.</summary>
        ChainConflict = 4,

        /// <summary>Accepted as a heartbeat, but the posture it reports breaks the device class's policy.</summary>
        PostureNonCompliant = 5,
    }
}
