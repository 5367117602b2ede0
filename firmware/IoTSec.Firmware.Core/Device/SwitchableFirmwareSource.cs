using IoTSec.Firmware.Ota;

namespace IoTSec.Firmware.Device
{
    /// <summary>
    /// The OTA download source over the current operational credentials: a renewal replaces
    /// the HTTP client underneath while the update agent keeps its one source.
    /// </summary>
    internal sealed class SwitchableFirmwareSource : IFirmwareSource
    {
        private readonly object _gate = new object();
        private IFirmwareSource _current;

        internal IFirmwareSource Current
        {
            get
            {
                lock (_gate)
                {
                    return _current;
                }
            }

            set
            {
                lock (_gate)
                {
                    _current = value;
                }
            }
        }

        public int ReadRange(string resource, long position, byte[] buffer, int offset, int count)
        {
            return Current.ReadRange(resource, position, buffer, offset, count);
        }
    }
}
