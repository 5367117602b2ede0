using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// Writes counts aggregated in memory (refusals, violations) to the audit log every interval,
/// and once more at stop. A failing audit log must not take the service down with it: that
/// interval's counts are lost (the metrics still have them), the failure is reported through
/// <see cref="OnFlushFailed"/>, and the next interval tries again.
/// </summary>
public abstract class PeriodicAuditFlush(TimeSpan interval) : BackgroundService
{
    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        FlushSafely();
    }

    /// <summary>Writes what was counted since the last flush.</summary>
    protected abstract void Flush();

    /// <summary>Logs a flush the audit log refused.</summary>
    protected abstract void OnFlushFailed(Exception error);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                FlushSafely();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }

    private void FlushSafely()
    {
        try
        {
            Flush();
        }
        catch (Exception e) when (e is SqliteException or AuditLogException or IOException)
        {
            OnFlushFailed(e);
        }
    }
}
