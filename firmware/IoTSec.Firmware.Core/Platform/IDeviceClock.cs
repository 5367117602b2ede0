namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// Time as a device has it. A device has no trusted wall clock of its own: the core takes
    /// wall time from the gateway's heartbeat acknowledgements (see the heartbeat protocol) and
    /// advances it with this monotonic counter, which restarts at every boot.
    /// </summary>
    public interface IDeviceClock
    {
        /// <summary>Milliseconds since this boot; never goes backwards while the device runs.</summary>
        long MillisecondsSinceBoot { get; }

        /// <summary>Blocks the calling thread for <paramref name="milliseconds"/> (a simulated clock advances instead).</summary>
        /// <param name="milliseconds">How long to wait.</param>
        void Sleep(int milliseconds);
    }
}
