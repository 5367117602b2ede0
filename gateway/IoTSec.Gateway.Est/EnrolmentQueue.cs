using System;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The signing queue: <see cref="EstOptions.SigningSlots"/> enrolments sign at once, up to
/// <see cref="EstOptions.QueueLimit"/> more wait their turn, and beyond that — or after
/// <see cref="EstOptions.QueueTimeout"/> of waiting — a request gets 503 with Retry-After.
/// A storm (a whole site powering up at once) is held and worked off at the signing rate
/// instead of failing; only a storm larger than the queue is told to come back.
/// </summary>
public sealed class EnrolmentQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _retryAfter;
    private int _admitted;
    private long _highWater;

    /// <summary>Creates the queue.</summary>
    public EnrolmentQueue(int signingSlots, int queueLimit, TimeSpan timeout, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signingSlots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _slots = new SemaphoreSlim(signingSlots, signingSlots);
        _capacity = signingSlots + queueLimit;
        _timeout = timeout;
        _retryAfter = retryAfter;
    }

    /// <summary>Enrolments signing or waiting now.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>The most enrolments signing or waiting at once since start.</summary>
    public long HighWater => Interlocked.Read(ref _highWater);

    /// <summary>Waits for a signing slot; dispose the result to free it.</summary>
    /// <exception cref="EstRefusedException"><see cref="EstRefusal.Busy"/>: the queue is full, or the wait timed out.</exception>
    public async Task<IDisposable> EnterAsync(string deviceId, CancellationToken cancellation)
    {
        var admitted = Interlocked.Increment(ref _admitted);
        if (admitted > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw new EstRefusedException(EstRefusal.Busy, "the enrolment queue is full; retry later", _retryAfter, deviceId);
        }

        UpdateHighWater(admitted);
        bool entered;
        try
        {
            entered = await _slots.WaitAsync(_timeout, cancellation).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        if (!entered)
        {
            Interlocked.Decrement(ref _admitted);
            throw new EstRefusedException(EstRefusal.Busy, "no signing slot became free in time; retry later", _retryAfter, deviceId);
        }

        return new Slot(this);
    }

    /// <summary>Releases the semaphore.</summary>
    public void Dispose() => _slots.Dispose();

    private void UpdateHighWater(long admitted)
    {
        var seen = Interlocked.Read(ref _highWater);
        while (admitted > seen)
        {
            var previous = Interlocked.CompareExchange(ref _highWater, admitted, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private sealed class Slot(EnrolmentQueue owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._slots.Release();
                Interlocked.Decrement(ref owner._admitted);
            }
        }
    }
}
