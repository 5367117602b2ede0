using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// What the heartbeat reports about OTA, read from the persisted slot state: the last
    /// refusal (key 12), the running slot (key 8), the trial and reverted posture flags, and
    /// the running image's digest and version.
    /// </summary>
    public sealed class OtaStatus
    {
        private readonly SlotState _state;
        private readonly bool _unreadable;

        /// <summary>Reads the current status; never throws for a damaged record (see <see cref="StateUnreadable"/>).</summary>
        /// <param name="flash">The device's flash.</param>
        public OtaStatus(IFlashStore flash)
        {
            if (flash == null)
            {
                throw new System.ArgumentNullException("flash");
            }

            try
            {
                _state = SlotState.Read(flash);
            }
            catch (FlashException)
            {
                // The heartbeat must still go out, and say the storage is in trouble.
                _state = null;
                _unreadable = true;
            }
        }

        /// <summary>True when the slot state could not be read (reported as the posture flag StorageDegraded).</summary>
        public bool StateUnreadable
        {
            get { return _unreadable; }
        }

        /// <summary>The last OTA refusal as a <see cref="RefusalCode"/>; 0 when none.</summary>
        public uint LastRefusal
        {
            get { return _state == null ? RefusalCode.None : _state.LastRefusal; }
        }

        /// <summary>The anti-rollback counter (sequence number of the last confirmed manifest).</summary>
        public ulong SecurityCounter
        {
            get { return _state == null ? 0 : _state.SecurityCounter; }
        }

        /// <summary>True when the running image is an unconfirmed trial (posture flag TrialBootPending).</summary>
        public bool TrialBootPending
        {
            get { return _state != null && _state.TrialRunning; }
        }

        /// <summary>True when the last update failed its trial boot (posture flag UpdateReverted).</summary>
        public bool UpdateReverted
        {
            get { return _state != null && _state.UpdateReverted; }
        }

        /// <summary>The slot the running image came from.</summary>
        public FirmwareSlot RunningSlot
        {
            get { return TrialBootPending ? _state.PendingSlot : (_state == null ? FirmwareSlot.A : _state.ActiveSlot); }
        }

        /// <summary>The running image, or null when none is installed.</summary>
        public InstalledImage RunningImage
        {
            get { return _state == null ? null : (TrialBootPending ? _state.PendingImage : _state.ActiveImage); }
        }

        /// <summary>The posture flags this status sets (TrialBootPending, UpdateReverted, StorageDegraded).</summary>
        public PostureFlags PostureFlags
        {
            get
            {
                PostureFlags flags = PostureFlags.None;
                if (TrialBootPending)
                {
                    flags |= PostureFlags.TrialBootPending;
                }

                if (UpdateReverted)
                {
                    flags |= PostureFlags.UpdateReverted;
                }

                if (_unreadable)
                {
                    flags |= PostureFlags.StorageDegraded;
                }

                return flags;
            }
        }
    }
}
