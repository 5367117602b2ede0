using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Broker;

/// <summary>Flushes <see cref="ConnectionRefusalLedger"/> every <see cref="BrokerSettings.RefusalAuditInterval"/>, and once more at stop.</summary>
public sealed partial class BrokerRefusalFlusher : BackgroundService
{
    private readonly ConnectionRefusalLedger _ledger;
    private readonly TimeSpan _interval;
    private readonly ILogger<BrokerRefusalFlusher> _logger;

    /// <summary>Flushes <paramref name="ledger"/> on the configured interval.</summary>
    public BrokerRefusalFlusher(ConnectionRefusalLedger ledger, IOptions<BrokerSettings> options, ILogger<BrokerRefusalFlusher> logger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _ledger = ledger;
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

    // A failing audit log must not take the broker down with it; the counts of this interval
    // are lost (the metrics still have them), the failure is logged, the next interval tries again.
    private void Flush()
    {
        try
        {
            _ledger.Flush();
        }
        catch (Exception e) when (e is SqliteException or AuditLogException or IOException)
        {
            LogFlushFailed(_logger, e);
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Error, Message = "could not write broker connection refusals to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
