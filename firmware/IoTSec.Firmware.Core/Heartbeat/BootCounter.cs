using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>
    /// How many times the device has booted (record <c>hb-boot</c>, u32 BE), reported in every
    /// heartbeat. It never decreases: the gateway takes a lower boot count on a later heartbeat
    /// as a second device (or a restored flash image) speaking.
    /// </summary>
    internal sealed class BootCounter
    {
        private const string RecordName = "hb-boot";

        private readonly RecordStore _store;

        public BootCounter(IFlashStore flash)
        {
            _store = new RecordStore(flash, RecordName);
            byte[] payload = _store.Read();
            Current = payload != null && payload.Length == 4 ? BigEndian.GetUInt32(payload, 0) : 0;
        }

        /// <summary>The persisted count.</summary>
        public uint Current { get; private set; }

        /// <summary>Counts this boot and persists it before returning.</summary>
        public uint Increment()
        {
            uint next = Current == uint.MaxValue ? uint.MaxValue : Current + 1;
            var payload = new byte[4];
            BigEndian.PutUInt32(payload, 0, next);
            _store.Write(payload);
            Current = next;
            return next;
        }
    }
}
