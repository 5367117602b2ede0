using System;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// Calls <see cref="DeviceInventory.PollRevocations"/> on a timer, so that a revocation
/// committed by another process (the CLI) reaches this process's subscribers within the
/// interval. In-process revocations do not wait for it: they are published at once.
/// </summary>
public sealed class RevocationPoller : IDisposable
{
    /// <summary>The default interval: half the one-second budget for acting on a revocation.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    private readonly DeviceInventory _inventory;
    private readonly Action<Exception>? _onError;
    private readonly Timer _timer;
    private int _running;

    /// <summary>Starts polling <paramref name="inventory"/> every <paramref name="interval"/>.</summary>
    /// <param name="inventory">The inventory to poll.</param>
    /// <param name="interval">How often; <see cref="DefaultInterval"/> when null.</param>
    /// <param name="onError">Told about a failed poll (a database error); polling continues.</param>
    public RevocationPoller(DeviceInventory inventory, TimeSpan? interval = null, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        _inventory = inventory;
        _onError = onError;
        var period = interval ?? DefaultInterval;
        _timer = new Timer(_ => Poll(), null, period, period);
    }

    /// <summary>Stops polling and waits for a poll in progress.</summary>
    public void Dispose()
    {
        using var done = new ManualResetEvent(false);
        if (_timer.Dispose(done))
        {
            done.WaitOne();
        }
    }

    private void Poll()
    {
        // Skip a tick rather than pile up behind a slow poll.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            _inventory.PollRevocations();
        }
        catch (SqliteException e)
        {
            _onError?.Invoke(e);
        }
        catch (InventoryException e)
        {
            _onError?.Invoke(e);
        }
        catch (ObjectDisposedException)
        {
            // The inventory closed before the poller; nothing left to poll.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
