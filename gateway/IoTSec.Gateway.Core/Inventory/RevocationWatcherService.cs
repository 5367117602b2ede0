using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// Acts on revocations as they are committed (<see cref="RevocationEvents"/>): subscribes when
/// started — before the adapter's listener accepts anything, so no revocation falls in a gap —
/// and hands each one to <see cref="OnRevokedAsync"/> (end the device's live sessions).
/// </summary>
public abstract class RevocationWatcherService : BackgroundService
{
    private readonly DeviceInventory _inventory;
    private RevocationSubscription? _subscription;

    /// <summary>Watches <paramref name="inventory"/>'s revocations.</summary>
    protected RevocationWatcherService(DeviceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        _inventory = inventory;
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _inventory.Revocations.Subscribe();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    /// <summary>Ends the live sessions of the device <paramref name="revocation"/> names.</summary>
    protected abstract ValueTask OnRevokedAsync(DeviceRevoked revocation);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = _subscription ?? throw new InvalidOperationException("not started");
        try
        {
            await foreach (var revocation in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await OnRevokedAsync(revocation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
