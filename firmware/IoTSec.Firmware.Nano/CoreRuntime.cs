using System;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// Where the firmware core's runtime (lifecycle, provisioning console, enrolment,
    /// heartbeats, commands, OTA: issue 7's other parts) is handed the device layer.
    /// </summary>
    /// <remarks>
    /// Not wired yet: those parts are written in parallel and are not in this branch. Until they
    /// are, an image built from here refuses to run rather than pretending to: the loader treats
    /// the exception as a failed start and restarts, and a trial image is reverted.
    /// </remarks>
    internal static class CoreRuntime
    {
        internal static void Run(NanoDevice device)
        {
            throw new NotSupportedException("The firmware core's runtime is not wired into the nanoFramework application yet (issue 7 integration).");
        }
    }
}
