using System;

namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// Thrown by a simulated device's <see cref="IDevicePlatform.Reboot"/> and by its flash when
    /// power is cut: everything in RAM is gone, and the runner boots the device again from flash.
    /// Core code must not catch it (catch specific exceptions, never <see cref="Exception"/>
    /// without rethrowing this one).
    /// </summary>
    public class DeviceRebootException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the device restarts ("reboot command", "power cut at flash write 17").</param>
        public DeviceRebootException(string reason)
            : base(reason)
        {
        }
    }
}
