using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Lifecycle
{
    /// <summary>
    /// Counts boots (the heartbeat's boot count: persisted, never decreasing) and breaks
    /// reboot loops: when more than <see cref="MaxBootsWithoutHealthy"/> boots in a row
    /// ended without the device becoming healthy (reaching Operating, or confirming a trial
    /// image), <see cref="SafeMode"/> is set and the device stops retrying its start sequence.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Mender's client caps its state saves to break a loop with an error instead of looping
    /// forever; this is the same idea per boot. The window is the run of consecutive boots
    /// since the last <see cref="MarkHealthy"/>: a device that simply has no network does not
    /// reboot and does not count up. A reboot loop wears the flash, floods the gateway with
    /// enrolments and hides the fault; safe mode stops all three.
    /// </para>
    /// <para>
    /// Safe mode, as the device's runner applies it (docs/firmware/lifecycle.md): no
    /// enrolment, no MQTT, no OTA; the provisioning console stays available (a technician can
    /// read the state and factory-reset); after a hold time the runner calls
    /// <see cref="LeaveSafeMode"/>, which allows exactly one more attempt.
    /// </para>
    /// <para>Record <see cref="RecordName"/>: format (1), boot count (u32 BE), boots since healthy (u32 BE).</para>
    /// </remarks>
    public sealed class BootCounter
    {
        /// <summary>The record holding the counts.</summary>
        public const string RecordName = "life-boot";

        /// <summary>Default for <see cref="MaxBootsWithoutHealthy"/>.</summary>
        public const int DefaultMaxBootsWithoutHealthy = 5;

        private const byte FormatVersion = 1;

        private readonly RecordStore _record;
        private readonly int _maxBootsWithoutHealthy;
        private uint _bootCount;
        private uint _bootsSinceHealthy;
        private bool _recorded;

        /// <summary>Loads the counts.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="maxBootsWithoutHealthy">Consecutive unhealthy boots allowed before safe mode (at least 1).</param>
        public BootCounter(IFlashStore flash, int maxBootsWithoutHealthy)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (maxBootsWithoutHealthy < 1)
            {
                throw new ArgumentOutOfRangeException("maxBootsWithoutHealthy");
            }

            _record = new RecordStore(flash, RecordName);
            _maxBootsWithoutHealthy = maxBootsWithoutHealthy;
            byte[] payload = _record.Read();
            if (payload != null && payload.Length == 9 && payload[0] == FormatVersion)
            {
                _bootCount = GetUInt32(payload, 1);
                _bootsSinceHealthy = GetUInt32(payload, 5);
            }
        }

        /// <summary>Consecutive unhealthy boots allowed before safe mode.</summary>
        public int MaxBootsWithoutHealthy
        {
            get { return _maxBootsWithoutHealthy; }
        }

        /// <summary>Boots counted so far (including this one once <see cref="RecordBoot"/> ran).</summary>
        public uint BootCount
        {
            get { return _bootCount; }
        }

        /// <summary>Boots since the device was last healthy, including this one.</summary>
        public uint BootsSinceHealthy
        {
            get { return _bootsSinceHealthy; }
        }

        /// <summary>True when this boot is past the cap: the runner must not start enrolment, MQTT or OTA.</summary>
        public bool SafeMode
        {
            get { return _bootsSinceHealthy > (uint)_maxBootsWithoutHealthy; }
        }

        /// <summary>Counts this boot; call once, first thing at boot. A second call in the same boot changes nothing.</summary>
        /// <returns>True when the device is in safe mode.</returns>
        public bool RecordBoot()
        {
            if (!_recorded)
            {
                _recorded = true;
                _bootCount = _bootCount == uint.MaxValue ? uint.MaxValue : _bootCount + 1;
                _bootsSinceHealthy = _bootsSinceHealthy == uint.MaxValue ? uint.MaxValue : _bootsSinceHealthy + 1;
                Save();
            }

            return SafeMode;
        }

        /// <summary>The device reached Operating or confirmed its trial image: the run of failed boots ends.</summary>
        public void MarkHealthy()
        {
            if (_bootsSinceHealthy != 0)
            {
                _bootsSinceHealthy = 0;
                Save();
            }
        }

        /// <summary>After the safe-mode hold: allow one more attempt (a failure puts the next boot back in safe mode).</summary>
        public void LeaveSafeMode()
        {
            if (SafeMode)
            {
                _bootsSinceHealthy = (uint)_maxBootsWithoutHealthy;
                Save();
            }
        }

        private void Save()
        {
            byte[] payload = new byte[9];
            payload[0] = FormatVersion;
            PutUInt32(payload, 1, _bootCount);
            PutUInt32(payload, 5, _bootsSinceHealthy);
            _record.Write(payload);
        }

        private static void PutUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        private static uint GetUInt32(byte[] buffer, int offset)
        {
            return ((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16) | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3];
        }
    }
}
