namespace IoTSec.Protocol.Topics
{
    /// <summary>The outcome a <see cref="CommandAck"/> reports (key 2).</summary>
    public enum CommandResult
    {
        /// <summary>Done (for Reboot, ReEnrol and Decommission: about to be done; the effect shows in the next heartbeat or in the certificate's state).</summary>
        Ok = 0,

        /// <summary>Refused by the device's rules: for example a trust-anchor update whose signature does not verify, or a command issued too long ago.</summary>
        Rejected = 1,

        /// <summary>Accepted but failed while carrying it out (a storage error, a network failure during re-enrolment).</summary>
        Failed = 2,

        /// <summary>The device does not know the command code, or cannot do it on this hardware.</summary>
        Unsupported = 3,

        /// <summary>The command id is not above the last one executed: a redelivery or a replay; not executed again.</summary>
        Duplicate = 4,
    }
}
