using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Est;

/// <summary>Flushes <see cref="RefusalAuditor"/> every <see cref="EstOptions.RefusalAuditInterval"/>, and once more at stop.</summary>
public sealed partial class RefusalAuditFlusher : BackgroundService
{
    private readonly RefusalAuditor _auditor;
    private readonly TimeSpan _interval;
    private readonly ILogger<RefusalAuditFlusher> _logger;

    /// <summary>Flushes <paramref name="auditor"/> on the configured interval.</summary>
    public RefusalAuditFlusher(RefusalAuditor auditor, IOptions<EstOptions> options, ILogger<RefusalAuditFlusher> logger)
    {
        ArgumentNullException.ThrowIfNull(auditor);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _auditor = auditor;
        _interval = options.Value.RefusalAuditInterval;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Flush();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }

    // A failing audit log must not take the EST service down with it; the counts of this
    // interval are lost, the failure is logged as an error, and the next interval tries again.
    private void Flush()
    {
        try
        {
            _auditor.Flush();
        }
        catch (Exception e) when (e is SqliteException or AuditLogException or IOException)
        {
            LogFlushFailed(_logger, e);
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "could not write EST refusals to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
