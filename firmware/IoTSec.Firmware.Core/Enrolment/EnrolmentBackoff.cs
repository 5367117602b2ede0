using System;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// How long a device waits before retrying enrolment: exponential in the number of
    /// failures, capped, with random jitter from the hardware random source so that a site
    /// powering up at once does not come back in lock-step. A gateway's Retry-After is a floor,
    /// with jitter added on top (est.md, "Admission").
    /// </summary>
    /// <remarks>
    /// "Equal jitter": the wait after failure n is uniform in [d/2, d] with
    /// d = min(cap, base × 2^(n−1)). Never zero (a failing gateway is not hammered), and spread
    /// over half the window (a storm is broken up).
    /// </remarks>
    public sealed class EnrolmentBackoff
    {
        /// <summary>Default first delay: 2 s.</summary>
        public const int DefaultBaseDelayMs = 2000;

        /// <summary>Default cap: 1 hour.</summary>
        public const int DefaultMaxDelayMs = 3600000;

        /// <summary>The longest Retry-After honoured (1 hour): a larger one is treated as this.</summary>
        public const int MaxRetryAfterSeconds = 3600;

        private readonly IDevicePlatform _platform;
        private readonly byte[] _random = new byte[4];

        /// <summary>Creates the schedule.</summary>
        /// <param name="platform">The random source.</param>
        /// <param name="baseDelayMs">Delay window after the first failure.</param>
        /// <param name="maxDelayMs">Largest window.</param>
        public EnrolmentBackoff(IDevicePlatform platform, int baseDelayMs, int maxDelayMs)
        {
            if (platform == null)
            {
                throw new ArgumentNullException("platform");
            }

            if (baseDelayMs < 2 || maxDelayMs < baseDelayMs)
            {
                throw new ArgumentException("The base delay must be at least 2 ms and the cap at least the base delay.");
            }

            _platform = platform;
            BaseDelayMs = baseDelayMs;
            MaxDelayMs = maxDelayMs;
        }

        /// <summary>Delay window after the first failure.</summary>
        public int BaseDelayMs { get; private set; }

        /// <summary>Largest window.</summary>
        public int MaxDelayMs { get; private set; }

        /// <summary>The window d for the <paramref name="failures"/>-th consecutive failure (the delay is in [d/2, d]).</summary>
        /// <param name="failures">Consecutive failures so far, at least 1.</param>
        /// <returns>d in milliseconds.</returns>
        public int WindowMs(int failures)
        {
            long window = BaseDelayMs;
            for (int i = 1; i < failures && window < MaxDelayMs; i++)
            {
                window *= 2;
            }

            return window > MaxDelayMs ? MaxDelayMs : (int)window;
        }

        /// <summary>The delay before the next attempt.</summary>
        /// <param name="failures">Consecutive failures so far, at least 1.</param>
        /// <param name="retryAfterSeconds">The gateway's Retry-After, or -1.</param>
        /// <returns>Milliseconds to wait.</returns>
        public int NextDelayMs(int failures, int retryAfterSeconds)
        {
            if (failures < 1)
            {
                throw new ArgumentOutOfRangeException("failures");
            }

            int window = WindowMs(failures);
            int delay = (window / 2) + Uniform((window / 2) + 1);
            if (retryAfterSeconds >= 0)
            {
                int floor = (retryAfterSeconds > MaxRetryAfterSeconds ? MaxRetryAfterSeconds : retryAfterSeconds) * 1000;

                // Spread the devices a busy gateway sent away by up to a quarter of its delay
                // (at least a second), so they do not all return in the same instant.
                int spread = floor / 4 > 1000 ? floor / 4 : 1000;
                int honoured = floor + Uniform(spread + 1);
                if (honoured > delay)
                {
                    delay = honoured;
                }
            }

            return delay;
        }

        private int Uniform(int bound)
        {
            _platform.GetRandomBytes(_random);
            uint value = ((uint)_random[0] << 24) | ((uint)_random[1] << 16) | ((uint)_random[2] << 8) | _random[3];
            return (int)(value % (uint)bound);
        }
    }
}
