using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Policy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>Writes the policy violations of each <see cref="PolicySettings.ViolationAuditInterval"/> to the audit log (one entry per device), and once more at stop.</summary>
internal sealed partial class PolicyViolationFlushing(PolicyViolationAuditor auditor, IOptions<PolicySettings> settings, ILogger<PolicyViolationFlushing> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.ViolationAuditInterval);
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

    // A failing audit log must not stop the broker's policy: this interval's counts are lost
    // (the metrics still have them), the failure is logged, the next interval tries again.
    private void Flush()
    {
        try
        {
            foreach (var summary in auditor.Flush())
            {
                LogViolations(logger, summary);
            }
        }
        catch (Exception e) when (e is SqliteException or AuditLogException or IOException)
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "policy violations by {Summary}")]
    private static partial void LogViolations(ILogger logger, string summary);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "could not write policy violations to the audit log")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
