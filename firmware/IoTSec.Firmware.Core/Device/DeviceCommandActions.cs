using IoTSec.Firmware.Commands;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// The runtime's answers to the commands whose work is enrolment or the lifecycle: each
    /// only raises a flag that the main loop acts on after the acknowledgement went out (a
    /// re-enrolment takes network round trips; the dispatcher runs on the main loop).
    /// </summary>
    public sealed class DeviceCommandActions : ICommandActions
    {
        private readonly object _gate = new object();
        private bool _reEnrol;
        private bool _refreshKey;
        private bool _decommission;

        /// <inheritdoc />
        public CommandResult ReEnrol()
        {
            lock (_gate)
            {
                _reEnrol = true;
            }

            return CommandResult.Ok;
        }

        /// <inheritdoc />
        public CommandResult RefreshHeartbeatKey()
        {
            lock (_gate)
            {
                _refreshKey = true;
            }

            return CommandResult.Ok;
        }

        /// <inheritdoc />
        public void Decommission()
        {
            lock (_gate)
            {
                _decommission = true;
            }
        }

        /// <summary>Takes the pending ReEnrol request (true once per request).</summary>
        /// <returns>Whether one was pending.</returns>
        public bool TakeReEnrol()
        {
            lock (_gate)
            {
                bool pending = _reEnrol;
                _reEnrol = false;
                return pending;
            }
        }

        /// <summary>Takes the pending RefreshHeartbeatKey request.</summary>
        /// <returns>Whether one was pending.</returns>
        public bool TakeRefreshHeartbeatKey()
        {
            lock (_gate)
            {
                bool pending = _refreshKey;
                _refreshKey = false;
                return pending;
            }
        }

        /// <summary>Whether a decommission was acknowledged.</summary>
        public bool DecommissionRequested
        {
            get
            {
                lock (_gate)
                {
                    return _decommission;
                }
            }
        }
    }
}
