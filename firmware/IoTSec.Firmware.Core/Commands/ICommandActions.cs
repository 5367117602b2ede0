using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Commands
{
    /// <summary>
    /// The commands whose work belongs to other areas of the firmware (enrolment, lifecycle);
    /// the integration implements it. Each call runs on the device's main loop and should only
    /// schedule long work (a re-enrolment takes network round trips), not do it.
    /// </summary>
    public interface ICommandActions
    {
        /// <summary>ReEnrol: schedule EST simplereenroll, then a new heartbeat key (a new chain).</summary>
        /// <returns>The result to acknowledge: Ok when scheduled, Failed or Unsupported otherwise.</returns>
        CommandResult ReEnrol();

        /// <summary>RefreshHeartbeatKey: schedule fetching the heartbeat key again.</summary>
        /// <returns>The result to acknowledge.</returns>
        CommandResult RefreshHeartbeatKey();

        /// <summary>
        /// Decommission: erase the identity and keys and stop. Called after the Ok
        /// acknowledgement was published, because afterwards the device can no longer speak.
        /// </summary>
        void Decommission();
    }
}
