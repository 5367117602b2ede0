using System;
using System.Collections.Concurrent;
using System.Threading;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Per-device admission of enrolments: one at a time per device (a second concurrent one is
/// refused with 409 — two CSRs racing would leave the device unsure which certificate is its
/// current one), and at most one successful enrolment per <see cref="EstOptions.EnrolmentInterval"/>
/// (429 with Retry-After: a looping device must not churn certificates and the inventory).
/// </summary>
public sealed class EnrolmentGuard
{
    private const int PruneThreshold = 4096;

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastEnrolment = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private int _sincePrune;

    /// <summary>Admits one enrolment per device per <paramref name="interval"/> (zero: no rate limit).</summary>
    public EnrolmentGuard(TimeSpan interval, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _interval = interval;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Enrolments in progress.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// Starts an enrolment of <paramref name="deviceId"/>; dispose the result when it ends and
    /// call <see cref="Admission.Succeeded"/> when a certificate was issued.
    /// </summary>
    /// <exception cref="EstRefusedException"><see cref="EstRefusal.EnrolmentInProgress"/> or <see cref="EstRefusal.RateLimited"/>.</exception>
    public Admission Begin(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_inFlight.TryAdd(deviceId, 0))
        {
            throw new EstRefusedException(EstRefusal.EnrolmentInProgress, "another enrolment of this device is in progress", deviceId: deviceId);
        }

        if (_interval > TimeSpan.Zero && _lastEnrolment.TryGetValue(deviceId, out var last))
        {
            var wait = last + _interval - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                _inFlight.TryRemove(deviceId, out _);
                throw new EstRefusedException(EstRefusal.RateLimited, "this device enrolled moments ago; retry later", wait, deviceId);
            }
        }

        return new Admission(this, deviceId);
    }

    private void Succeeded(string deviceId)
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        _lastEnrolment[deviceId] = _time.GetUtcNow();
        if (Interlocked.Increment(ref _sincePrune) >= PruneThreshold)
        {
            Volatile.Write(ref _sincePrune, 0);
            Prune();
        }
    }

    // Entries older than the interval limit nothing: drop them so a fleet of 100,000 devices
    // costs memory only for those that enrolled recently.
    private void Prune()
    {
        var cutoff = _time.GetUtcNow() - _interval;
        foreach (var (deviceId, last) in _lastEnrolment)
        {
            if (last < cutoff)
            {
                _lastEnrolment.TryRemove(new System.Collections.Generic.KeyValuePair<string, DateTimeOffset>(deviceId, last));
            }
        }
    }

    /// <summary>One admitted enrolment.</summary>
    public sealed class Admission : IDisposable
    {
        private readonly EnrolmentGuard _owner;
        private readonly string _deviceId;
        private int _ended;

        internal Admission(EnrolmentGuard owner, string deviceId)
        {
            _owner = owner;
            _deviceId = deviceId;
        }

        /// <summary>A certificate was issued: starts the device's interval.</summary>
        public void Succeeded() => _owner.Succeeded(_deviceId);

        /// <summary>Ends the enrolment (another may start).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                _owner._inFlight.TryRemove(_deviceId, out _);
            }
        }
    }
}
