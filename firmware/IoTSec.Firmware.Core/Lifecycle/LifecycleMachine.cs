using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Lifecycle
{
    /// <summary>
    /// The device's lifecycle, persisted in the record <see cref="RecordName"/> so that a reboot
    /// resumes in the state it left. Moves follow <see cref="LifecycleTransitions"/> only.
    /// </summary>
    /// <remarks>
    /// The state is written before <see cref="TryMove"/> returns (Mender's "save before each
    /// step"): a power cut during the write leaves the old state (the record store's
    /// guarantee), never a mixture. A record holding a value this firmware does not know
    /// (written by a newer firmware that was then reverted) reads as
    /// <see cref="LifecycleState.Quarantined"/>: the device does nothing on its own until its
    /// gateway or a technician decides, which is the fail-closed choice.
    /// </remarks>
    public sealed class LifecycleMachine : IDeviceLifecycle
    {
        /// <summary>The record holding the state.</summary>
        public const string RecordName = "life-state";

        private const byte FormatVersion = 1;

        private readonly RecordStore _record;
        private readonly IDeviceLog _log;
        private LifecycleState _current;

        /// <summary>Loads the persisted state (<see cref="LifecycleState.Unprovisioned"/> when none).</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="log">Where moves and refused moves are logged; null for none.</param>
        public LifecycleMachine(IFlashStore flash, IDeviceLog log)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            _record = new RecordStore(flash, RecordName);
            _log = log;
            _current = Load(_record.Read());
        }

        /// <inheritdoc />
        public LifecycleState Current
        {
            get { return _current; }
        }

        /// <inheritdoc />
        public bool TryMove(LifecycleState target, string reason)
        {
            if (!LifecycleTransitions.IsAllowed(_current, target))
            {
                Log("lifecycle: refused " + LifecycleTransitions.NameOf(_current) + " -> " + LifecycleTransitions.NameOf(target) + " (" + reason + "): not in the transition table");
                return false;
            }

            _record.Write(new byte[] { FormatVersion, (byte)target });
            Log("lifecycle: " + LifecycleTransitions.NameOf(_current) + " -> " + LifecycleTransitions.NameOf(target) + " (" + reason + ")");
            _current = target;
            return true;
        }

        private static LifecycleState Load(byte[] payload)
        {
            if (payload == null)
            {
                return LifecycleState.Unprovisioned;
            }

            if (payload.Length != 2 || payload[0] != FormatVersion || !LifecycleTransitions.IsDefined(payload[1]))
            {
                return LifecycleState.Quarantined;
            }

            return (LifecycleState)payload[1];
        }

        private void Log(string message)
        {
            if (_log != null)
            {
                _log.Write(message);
            }
        }
    }
}
