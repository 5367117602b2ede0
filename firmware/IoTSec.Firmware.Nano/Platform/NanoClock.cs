using System;
using System.Threading;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The device's monotonic clock: <c>Environment.TickCount64</c> (nanoFramework.Runtime.Native),
    /// milliseconds since boot from the system timer. Not the RTC, which anyone on the network
    /// could move through SNTP and which the core never trusts.
    /// </summary>
    public sealed class NanoClock : IDeviceClock
    {
        /// <inheritdoc />
        public long MillisecondsSinceBoot
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc />
        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
