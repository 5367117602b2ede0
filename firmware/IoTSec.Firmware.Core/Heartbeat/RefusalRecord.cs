using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// The sticky "last refusal" a heartbeat reports (key 12, <c>RefusalCode</c>), persisted in
    /// the record <c>hb-refusal</c> so that a refusal is still reported after the reboot it may
    /// have caused.
    /// </summary>
    /// <remarks>
    /// Record: <c>last code (u32 BE) | last OTA code seen (u32 BE)</c>. The OTA area keeps its
    /// own last refusal (<see cref="IHeartbeatStatusSource.LastOtaRefusal"/>); remembering the
    /// value last seen tells a new OTA refusal from an old one, so the newest refusal of either
    /// source wins.
    /// </remarks>
    public sealed class RefusalRecord
    {
        private const string RecordName = "hb-refusal";
        private const int RecordLength = 8;

        private readonly RecordStore _store;
        private readonly object _gate = new object();
        private uint _last;
        private uint _lastOtaSeen;

        /// <summary>Loads the record.</summary>
        /// <param name="flash">The device's flash.</param>
        public RefusalRecord(IFlashStore flash)
        {
            _store = new RecordStore(flash, RecordName);
            byte[] payload = _store.Read();
            if (payload != null && payload.Length == RecordLength)
            {
                _last = BigEndian.GetUInt32(payload, 0);
                _lastOtaSeen = BigEndian.GetUInt32(payload, 4);
            }
        }

        /// <summary>The newest refusal code, 0 when nothing was ever refused.</summary>
        public uint Last
        {
            get
            {
                lock (_gate)
                {
                    return _last;
                }
            }
        }

        /// <summary>True when the last attempt to persist the record failed (the value is still reported until the next reboot).</summary>
        public bool PersistFailed { get; private set; }

        /// <summary>Records a refusal as the newest one.</summary>
        /// <param name="code">A <c>RefusalCode</c> value (not 0).</param>
        public void Record(uint code)
        {
            if (code == 0)
            {
                return;
            }

            lock (_gate)
            {
                _last = code;
                Save();
            }
        }

        /// <summary>Takes the OTA area's last refusal: a value not seen before becomes the newest refusal.</summary>
        /// <param name="otaCode">The OTA area's current last refusal.</param>
        internal void NoteOtaRefusal(uint otaCode)
        {
            lock (_gate)
            {
                if (otaCode == _lastOtaSeen)
                {
                    return;
                }

                _lastOtaSeen = otaCode;
                if (otaCode != 0)
                {
                    _last = otaCode;
                }

                Save();
            }
        }

        private void Save()
        {
            var payload = new byte[RecordLength];
            BigEndian.PutUInt32(payload, 0, _last);
            BigEndian.PutUInt32(payload, 4, _lastOtaSeen);
            try
            {
                _store.Write(payload);
                PersistFailed = false;
            }
            catch (FlashException)
            {
                // Reported as StorageDegraded in the next heartbeat; the code stays in RAM.
                PersistFailed = true;
            }
        }
    }
}
