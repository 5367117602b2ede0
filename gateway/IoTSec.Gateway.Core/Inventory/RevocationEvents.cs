using System;
using System.Threading;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// The in-process source of revocation events: every session that holds a device's trust
/// (broker connections, EST requests, OTA downloads) subscribes and acts on a revocation
/// at once, without a restart or a CRL reload.
/// </summary>
/// <remarks>
/// A channel per subscriber rather than a .NET event: publishing happens on the thread that
/// committed the revocation, right after the commit and before <c>Revoke</c> returns, and
/// only enqueues — a slow or failing subscriber can neither delay the revocation nor make it
/// throw, and unsubscribing (disposing the subscription) is safe while an event is in flight.
/// Subscribers are asynchronous readers and typically act within milliseconds.
/// </remarks>
public sealed class RevocationEvents
{
    private readonly Lock _gate = new();
    private RevocationSubscription[] _subscribers = [];

    /// <summary>How many subscriptions are live.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Subscribes to revocations committed from now on.</summary>
    public RevocationSubscription Subscribe()
    {
        var subscription = new RevocationSubscription(this);
        lock (_gate)
        {
            // Copy on write: Publish iterates a snapshot without taking the lock.
            var next = new RevocationSubscription[_subscribers.Length + 1];
            _subscribers.CopyTo(next, 0);
            next[^1] = subscription;
            Volatile.Write(ref _subscribers, next);
        }

        return subscription;
    }

    /// <summary>Delivers <paramref name="revocation"/> to every live subscriber. Never blocks, never throws for a subscriber.</summary>
    internal void Publish(DeviceRevoked revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Deliver(revocation);
        }
    }

    internal void Remove(RevocationSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index < 0)
            {
                return;
            }

            var next = new RevocationSubscription[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, next, 0, index);
            Array.Copy(_subscribers, index + 1, next, index, _subscribers.Length - index - 1);
            Volatile.Write(ref _subscribers, next);
        }
    }
}
