using System;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Time
{
    /// <summary>
    /// The device's wall clock: the gateway's time from the last verified heartbeat
    /// acknowledgement, advanced by the monotonic clock since. Until the first such
    /// acknowledgement of this boot there is no trusted time (<see cref="NoTrustedTime"/>).
    /// </summary>
    /// <remarks>
    /// SNTP is unauthenticated, so the only time source is an acknowledgement MAC'd under the
    /// device's own heartbeat key that answers the heartbeat the device is waiting for
    /// (docs/protocols/topics.md, "The device's trusted clock"). The monotonic counter restarts
    /// at every boot, so the trusted time does not survive a reboot: a device that just booted
    /// reports <c>ClockUnsynchronised</c> and cannot judge manifest expiry until its first
    /// acknowledgement.
    /// </remarks>
    public sealed class TrustedClock
    {
        /// <summary>The value of <see cref="UnixMilliseconds"/> and <see cref="UnixSeconds"/> when there is no trusted time.</summary>
        public const long NoTrustedTime = -1;

        /// <summary>Longest round trip (heartbeat sent to acknowledgement received) whose time is taken; beyond it the error of halving the round trip is too large.</summary>
        public const int MaxRoundTripMilliseconds = 30000;

        // Gateway times beyond this are refused: year 2286, and far from overflowing a long
        // when the monotonic offset is added.
        private const ulong MaxGatewayTime = 9999999999999UL;

        private readonly IDeviceClock _clock;
        private readonly object _gate = new object();
        private long _timeAtSync = NoTrustedTime;
        private long _localAtSync;

        /// <summary>Creates a clock with no trusted time.</summary>
        /// <param name="clock">The monotonic clock of this boot.</param>
        public TrustedClock(IDeviceClock clock)
        {
            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            _clock = clock;
        }

        /// <summary>True once a verified acknowledgement gave the time during this boot.</summary>
        public bool IsSynchronised
        {
            get
            {
                lock (_gate)
                {
                    return _timeAtSync != NoTrustedTime;
                }
            }
        }

        /// <summary>Trusted milliseconds since 1970-01-01T00:00:00Z, or <see cref="NoTrustedTime"/>.</summary>
        public long UnixMilliseconds
        {
            get
            {
                lock (_gate)
                {
                    if (_timeAtSync == NoTrustedTime)
                    {
                        return NoTrustedTime;
                    }

                    return _timeAtSync + (_clock.MillisecondsSinceBoot - _localAtSync);
                }
            }
        }

        /// <summary>Trusted seconds since the Unix epoch (what manifest and anchor-update expiry use), or <see cref="NoTrustedTime"/>.</summary>
        public long UnixSeconds
        {
            get
            {
                long ms = UnixMilliseconds;
                return ms == NoTrustedTime ? NoTrustedTime : ms / 1000;
            }
        }

        /// <summary>
        /// Takes the gateway's time from a verified acknowledgement: the gateway time plus half
        /// the round trip, as of <paramref name="receivedAtMs"/>.
        /// </summary>
        /// <param name="gatewayTimeUnixMilliseconds">The acknowledgement's gateway time.</param>
        /// <param name="sentAtMs">Monotonic time when the acknowledged heartbeat was published.</param>
        /// <param name="receivedAtMs">Monotonic time when the acknowledgement arrived.</param>
        /// <returns>False (the clock unchanged) when the round trip is negative or not under <see cref="MaxRoundTripMilliseconds"/>, or the time is out of range.</returns>
        public bool Synchronise(ulong gatewayTimeUnixMilliseconds, long sentAtMs, long receivedAtMs)
        {
            long roundTrip = receivedAtMs - sentAtMs;
            if (roundTrip < 0 || roundTrip >= MaxRoundTripMilliseconds || gatewayTimeUnixMilliseconds > MaxGatewayTime)
            {
                return false;
            }

            lock (_gate)
            {
                _timeAtSync = (long)gatewayTimeUnixMilliseconds + (roundTrip / 2);
                _localAtSync = receivedAtMs;
            }

            return true;
        }
    }
}
