using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Runs the inventory's <see cref="RevocationPoller"/> while the daemon runs, so that a
/// revocation committed by <c>iotsec-gateway devices revoke</c> (another process on the same
/// inventory) reaches the live sessions here within half a second.
/// </summary>
internal sealed partial class RevocationPolling(DeviceInventory inventory, ILogger<RevocationPolling> logger) : IHostedService, IDisposable
{
    private RevocationPoller? _poller;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _poller = new RevocationPoller(inventory, onError: error => LogPollFailed(logger, error));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _poller, null)?.Dispose();
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "could not poll the inventory for revocations made by other processes")]
    private static partial void LogPollFailed(ILogger logger, Exception error);
}
