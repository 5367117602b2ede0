using System;
using nanoFramework.Runtime.Native;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The board's RTC, which mbedTLS reads to check certificate validity dates during a TLS
    /// handshake. The core never trusts it (SNTP is unauthenticated and not used); it only sets
    /// it from the gateway's acknowledged time so that handshakes see a plausible date: an RTC
    /// left at its reset value makes every gateway certificate "not yet valid".
    /// </summary>
    public static class NanoRealTimeClock
    {
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0);

        /// <summary>Sets the RTC from a trusted time.</summary>
        /// <param name="unixMilliseconds">Milliseconds since 1970-01-01 UTC, from the gateway's acknowledgement.</param>
        /// <returns>False when nanoCLR refused the new time.</returns>
        public static bool SetFromTrustedTime(long unixMilliseconds)
        {
            return Rtc.SetSystemTime(UnixEpoch.AddTicks(unixMilliseconds * TimeSpan.TicksPerMillisecond));
        }
    }
}
