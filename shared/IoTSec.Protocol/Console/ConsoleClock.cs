namespace IoTSec.Protocol.Console
{
    /// <summary>Milliseconds for timeouts of the console transport.</summary>
    internal static class ConsoleClock
    {
        /// <summary>A millisecond count that only matters as a difference between two calls.</summary>
        /// <returns>Milliseconds since an arbitrary origin.</returns>
        internal static long NowMilliseconds()
        {
#if NANOFRAMEWORK_1_0
            // mscorlib v1 has no monotonic tick count. A clock step (SNTP) can only make one
            // wait end early, which costs one retransmission, or late, which the caller's
            // per-read timeout bounds.
            return System.DateTime.UtcNow.Ticks / 10000;
#else
            return System.Environment.TickCount64;
#endif
        }
    }
}
