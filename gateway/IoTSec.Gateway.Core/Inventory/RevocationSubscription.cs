using System;
using System.Threading.Channels;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// One subscriber's queue of revocations. Read <see cref="Reader"/> (for example
/// <c>await foreach (var r in subscription.Reader.ReadAllAsync(ct))</c>); dispose to
/// unsubscribe, from any thread, at any time — the reader then completes.
/// </summary>
public sealed class RevocationSubscription : IDisposable
{
    private readonly RevocationEvents _owner;
    private readonly Channel<DeviceRevoked> _channel;

    internal RevocationSubscription(RevocationEvents owner)
    {
        _owner = owner;
        // Unbounded: publishing never blocks or drops, so a slow subscriber cannot delay a
        // revocation or miss one. Revocations are rare and small, so the queue stays short.
        _channel = Channel.CreateUnbounded<DeviceRevoked>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    }

    /// <summary>The revocations committed since this subscription was made, in commit order.</summary>
    public ChannelReader<DeviceRevoked> Reader => _channel.Reader;

    /// <summary>Unsubscribes and completes <see cref="Reader"/>.</summary>
    public void Dispose()
    {
        _owner.Remove(this);
        _channel.Writer.TryComplete();
    }

    internal void Deliver(DeviceRevoked revocation) => _channel.Writer.TryWrite(revocation);
}
