using System.Diagnostics;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The device log: <c>Debug.WriteLine</c>, which nanoCLR sends to the debugger over the wire
    /// protocol while one is attached and drops otherwise. A production image built without the
    /// managed debugger (the boards' "no-managed-debugger" hardening step) logs nothing.
    /// </summary>
    public sealed class DebugLog : IDeviceLog
    {
        /// <inheritdoc />
        public void Write(string message)
        {
            Debug.WriteLine(message);
        }
    }
}
